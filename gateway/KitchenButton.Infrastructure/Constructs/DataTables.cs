using System;
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
        Tickets = new Table(this, "PendingTasks", Props(settings, settings.Names.Tables.Tickets, Keys.StationId, deletionProtected: true, props =>
        {
            props.SortKey = new Attribute { Name = Keys.QueueKey, Type = AttributeType.STRING };
            props.TimeToLiveAttribute = Keys.ExpiresAt;

            // Keys only: the notifier needs the station, and no task token should travel further.
            props.Stream = StreamViewType.KEYS_ONLY;
        }));

        Devices = new Table(this, "Devices", Props(settings, settings.Names.Tables.Devices, Keys.Thing, deletionProtected: true));
        Devices.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = Keys.DevicesByStationIndex,
            PartitionKey = new Attribute { Name = Keys.StationId, Type = AttributeType.STRING },
            SortKey = new Attribute { Name = Keys.Thing, Type = AttributeType.STRING },
            ProjectionType = ProjectionType.INCLUDE,
            NonKeyAttributes = new[] { Keys.Enabled },
        });

        Stations = new Table(this, "Stations", Props(settings, settings.Names.Tables.Stations, Keys.StationId, deletionProtected: true));

        // Short-lived records (24 h TTL): deletion protection is kept for the tables holding orders and pairings.
        PressLedger = new Table(this, "PressLedger", Props(settings, settings.Names.Tables.PressLedger, Keys.PressId, deletionProtected: false, props =>
            props.TimeToLiveAttribute = Keys.ExpiresAt));
    }

    public Table Tickets { get; }

    public Table Devices { get; }

    public Table Stations { get; }

    public Table PressLedger { get; }

    /// <summary>The names as the gateway's settings carry them.</summary>
    public GatewayTables Names => new(Tickets.TableName, Devices.TableName, Stations.TableName, PressLedger.TableName);

    /// <summary>What every table shares: on-demand, point-in-time recovery, retained in production.</summary>
    private static TableProps Props(StackSettings settings, string tableName, string partitionKey, bool deletionProtected, Action<TableProps>? configure = null)
    {
        var props = new TableProps
        {
            TableName = tableName,
            PartitionKey = new Attribute { Name = partitionKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = settings.IsProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        };
        if (deletionProtected)
        {
            props.DeletionProtection = settings.IsProduction;
        }

        configure?.Invoke(props);
        return props;
    }
}
