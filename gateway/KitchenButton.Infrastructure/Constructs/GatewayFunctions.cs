using System.Collections.Generic;
using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.CustomResources;
using Constructs;
using KitchenButton.Gateway.Lambda;
using Function = Amazon.CDK.AWS.Lambda.Function;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// The gateway's four functions from the published gateway, each with only the rights its own code
/// uses, and a dead-letter queue wherever an event could otherwise be lost.
/// </summary>
public sealed class GatewayFunctions : Construct
{
    /// <summary>The .NET managed runtime; CDK 2.160 has no enum member for it yet.</summary>
    public static readonly Runtime DotNet10 = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    public const string Assembly = "KitchenButton.Gateway";

    public GatewayFunctions(Construct scope, string id, StackSettings settings, DataTables tables, OrderWorkflow workflow)
        : base(scope, id)
    {
        Stack stack = Stack.Of(this);
        Code code = Code.FromAsset(settings.GatewayAssetPath);
        string iotEndpoint = settings.IotDataEndpoint ?? LookUpIotDataEndpoint();
        var environment = new Dictionary<string, string>
        {
            [GatewaySettings.PendingTable] = tables.PendingTasks.TableName,
            [GatewaySettings.DevicesTable] = tables.Devices.TableName,
            [GatewaySettings.StationsTable] = tables.Stations.TableName,
            [GatewaySettings.LedgerTable] = tables.PressLedger.TableName,
            [GatewaySettings.IotDataEndpointVariable] = iotEndpoint,
            [GatewaySettings.SilenceAfterSeconds] = ((2 * settings.StatusIntervalSeconds) + 60).ToString(CultureInfo.InvariantCulture),
            ["KB_STATE_MACHINE_ARN"] = workflow.StateMachine.StateMachineArn,
        };

        PressFailures = Queue("PressFailures", settings.Name("press-failures"));
        NotifierFailures = Queue("NotifierFailures", settings.Name("notifier-failures"));

        PressHandler = Create("PressHandler", settings, code, environment, typeof(PressFunction), "Press handler: a verified press resumes one waiting order", 512, 15);
        PressHandler.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(6),
            OnFailure = new SqsDestination(PressFailures),
        });
        tables.Devices.Grant(PressHandler, "dynamodb:GetItem");
        tables.Stations.Grant(PressHandler, "dynamodb:GetItem");
        tables.PendingTasks.Grant(PressHandler, "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        tables.PressLedger.Grant(PressHandler, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem");
        workflow.StateMachine.GrantTaskResponse(PressHandler);
        GrantStatePublish(PressHandler, stack);

        Notifier = Create("Notifier", settings, code, environment, typeof(NotifierFunction), "Publishes a station's pending count to its buttons", 256, 30);
        Notifier.AddEventSource(new DynamoEventSource(tables.PendingTasks, new DynamoEventSourceProps
        {
            StartingPosition = StartingPosition.LATEST,
            BatchSize = 100,
            MaxBatchingWindow = Duration.Seconds(1),
            RetryAttempts = 5,
            BisectBatchOnError = true,
            OnFailure = new SqsDlq(NotifierFailures),
        }));
        tables.PendingTasks.Grant(Notifier, "dynamodb:Query");
        tables.Devices.Grant(Notifier, "dynamodb:Query");
        GrantStatePublish(Notifier, stack);

        StatusRecorder = Create("StatusRecorder", settings, code, environment, typeof(StatusFunction), "Records button health reports", 256, 10);
        tables.Devices.Grant(StatusRecorder, "dynamodb:UpdateItem");

        SilentButtonSweep = Create("SilentButtonSweep", settings, code, environment, typeof(SilentButtonSweepFunction), "Finds buttons that stopped reporting", 256, 60);
        tables.Devices.Grant(SilentButtonSweep, "dynamodb:Scan");
        new Rule(this, "SweepSchedule", new RuleProps
        {
            Schedule = Schedule.Rate(Duration.Minutes(5)),
            Targets = new IRuleTarget[] { new LambdaFunction(SilentButtonSweep) },
        });
    }

    public Function PressHandler { get; }

    public Function Notifier { get; }

    public Function StatusRecorder { get; }

    public Function SilentButtonSweep { get; }

    /// <summary>Presses whose invocation failed after every retry: nothing is lost, an operator replays them.</summary>
    public Queue PressFailures { get; }

    public Queue NotifierFailures { get; }

    /// <summary>The handler string of a function type: Assembly::Type::HandleAsync.</summary>
    public static string HandlerOf(System.Type function) => Assembly + "::" + function.FullName + "::HandleAsync";

    private Function Create(string id, StackSettings settings, Code code, Dictionary<string, string> environment, System.Type handler, string description, int memory, int timeoutSeconds)
    {
        return new Function(this, id, new FunctionProps
        {
            FunctionName = settings.Name(id.ToLowerInvariant()),
            Description = description,
            Runtime = DotNet10,
            Architecture = Architecture.ARM_64,
            Code = code,
            Handler = HandlerOf(handler),
            MemorySize = memory,
            Timeout = Duration.Seconds(timeoutSeconds),
            Environment = environment,
            ReservedConcurrentExecutions = id == "PressHandler" ? settings.PressHandlerReservedConcurrency : null,
            Tracing = Tracing.ACTIVE,
            LoggingFormat = LoggingFormat.JSON,
        });
    }

    private Queue Queue(string id, string name)
    {
        return new Queue(this, id, new QueueProps
        {
            QueueName = name,
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
    }

    private static void GrantStatePublish(Function function, Stack stack)
    {
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "iot:Publish" },
            Resources = new[] { "arn:" + stack.Partition + ":iot:" + stack.Region + ":" + stack.Account + ":topic/cmd/kitchenbutton/*/state" },
        }));
    }

    private string LookUpIotDataEndpoint()
    {
        var call = new AwsSdkCall
        {
            Service = "Iot",
            Action = "describeEndpoint",
            Parameters = new Dictionary<string, object> { ["endpointType"] = "iot:Data-ATS" },
            PhysicalResourceId = PhysicalResourceId.Of("iot-data-ats-endpoint"),
        };
        var lookup = new AwsCustomResource(this, "IotDataEndpoint", new AwsCustomResourceProps
        {
            OnCreate = call,
            OnUpdate = call,
            Policy = AwsCustomResourcePolicy.FromSdkCalls(new SdkCallsPolicyOptions { Resources = AwsCustomResourcePolicy.ANY_RESOURCE }),
            InstallLatestAwsSdk = false,
        });
        return lookup.GetResponseField("endpointAddress");
    }
}
