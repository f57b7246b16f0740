using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using KitchenButton.Gateway.Storage;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;
using Keys = KitchenButton.Gateway.Storage.Attributes;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>The four tables of docs/data-model.md: on-demand, point-in-time recovery, TTL where records expire.</summary>
public sealed class DataTables : Construct
{
    public DataTables(Construct scope, string id, StackSettings settings)
        : base(scope, id)
    {
        RemovalPolicy removal = settings.IsProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        PendingTasks = new Table(this, "PendingTasks", new TableProps
        {
            TableName = settings.Name("pending-tasks"),
            PartitionKey = new Attribute { Name = Keys.StationId, Type = AttributeType.STRING },
            SortKey = new Attribute { Name = Keys.QueueKey, Type = AttributeType.STRING },
            TimeToLiveAttribute = Keys.ExpiresAt,

            // Keys only: the notifier needs the station, and no task token should travel further.
            Stream = StreamViewType.KEYS_ONLY,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = settings.IsProduction,
            RemovalPolicy = removal,
        });

        Devices = new Table(this, "Devices", new TableProps
        {
            TableName = settings.Name("devices"),
            PartitionKey = new Attribute { Name = Keys.Thing, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = settings.IsProduction,
            RemovalPolicy = removal,
        });
        Devices.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = Keys.DevicesByStationIndex,
            PartitionKey = new Attribute { Name = Keys.StationId, Type = AttributeType.STRING },
            SortKey = new Attribute { Name = Keys.Thing, Type = AttributeType.STRING },
            ProjectionType = ProjectionType.INCLUDE,
            NonKeyAttributes = new[] { Keys.Enabled },
        });

        Stations = new Table(this, "Stations", new TableProps
        {
            TableName = settings.Name("stations"),
            PartitionKey = new Attribute { Name = Keys.StationId, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = settings.IsProduction,
            RemovalPolicy = removal,
        });

        PressLedger = new Table(this, "PressLedger", new TableProps
        {
            TableName = settings.Name("press-ledger"),
            PartitionKey = new Attribute { Name = Keys.PressId, Type = AttributeType.STRING },
            TimeToLiveAttribute = Keys.ExpiresAt,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = removal,
        });
    }

    public Table PendingTasks { get; }

    public Table Devices { get; }

    public Table Stations { get; }

    public Table PressLedger { get; }

    /// <summary>The names as the gateway's settings carry them.</summary>
    public GatewayTables Names => new(PendingTasks.TableName, Devices.TableName, Stations.TableName, PressLedger.TableName);
}
