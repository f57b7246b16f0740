using System.Collections.Generic;
using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Constructs;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Naming;
using Function = Amazon.CDK.AWS.Lambda.Function;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// The gateway's functions from the published gateway, each with only the rights its own code uses,
/// and a failure destination wherever an event could otherwise be lost.
/// </summary>
public sealed class GatewayFunctions : Construct
{
    /// <summary>The .NET managed runtime; CDK 2.160 has no enum member for it yet.</summary>
    public static readonly Runtime DotNet10 = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    public const string Assembly = "KitchenButton.Gateway";

    /// <summary>
    /// The press handler's timeout, handed to it as its deadline: room for the reads, one whole
    /// answer to Step Functions (three attempts of 3 s and their backoff) and recording the outcome.
    /// </summary>
    public const int PressTimeoutSeconds = 30;

    /// <summary>The execution statuses after which no order can still be waiting at a station.</summary>
    public static readonly string[] EndedStatuses = { "FAILED", "TIMED_OUT", "ABORTED" };

    public GatewayFunctions(Construct scope, string id, StackSettings settings, DataTables tables, OrderWorkflow workflow)
        : base(scope, id)
    {
        Code code = Code.FromAsset(settings.GatewayAssetPath);
        var environment = new Dictionary<string, string>
        {
            [GatewaySettings.PendingTable] = tables.Tickets.TableName,
            [GatewaySettings.DevicesTable] = tables.Devices.TableName,
            [GatewaySettings.StationsTable] = tables.Stations.TableName,
            [GatewaySettings.LedgerTable] = tables.PressLedger.TableName,
            [GatewaySettings.MetricNamespaceVariable] = settings.MetricNamespace,
            [GatewaySettings.SilenceAfterSeconds] = ((2 * settings.StatusIntervalSeconds) + 60).ToString(CultureInfo.InvariantCulture),
            [GatewaySettings.InvocationSeconds] = PressTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.IotDataEndpoint != null)
        {
            environment[GatewaySettings.IotDataEndpointVariable] = settings.IotDataEndpoint;
        }

        PressFailures = Queue("PressFailures", settings.Names.PressFailuresQueue);
        NotifierFailures = Queue("NotifierFailures", settings.Names.NotifierFailuresQueue);
        StatusFailures = Queue("StatusFailures", settings.Names.StatusFailuresQueue);
        CleanupFailures = Queue("CleanupFailures", settings.Names.CleanupFailuresQueue);

        PressHandler = Create("PressHandler", settings, code, environment, nameof(Functions.PressAsync), "Press handler: a verified press resumes one waiting order", 512, PressTimeoutSeconds);
        PressHandler.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(6),
            OnFailure = new SqsDestination(PressFailures),
        });
        Allow(PressHandler, tables.Devices, "dynamodb:GetItem");
        Allow(PressHandler, tables.Stations, "dynamodb:GetItem");
        Allow(PressHandler, tables.Tickets, "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        Allow(PressHandler, tables.PressLedger, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem");

        // The gateway answers tasks; it never heartbeats them. It reads an execution's history only
        // to learn whether an answer of unknown outcome was its own.
        PressHandler.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "states:SendTaskSuccess", "states:SendTaskFailure" },
            Resources = new[] { workflow.StateMachine.StateMachineArn },
        }));
        PressHandler.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "states:GetExecutionHistory" },
            Resources = new[] { "arn:" + Aws.PARTITION + ":states:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":execution:" + workflow.StateMachineName + ":*" },
        }));
        GrantStatePublish(PressHandler, settings);

        Notifier = Create("Notifier", settings, code, environment, nameof(Functions.NotifierAsync), "Publishes a station's pending count to its buttons", 256, 30);
        Notifier.AddEventSource(new DynamoEventSource(tables.Tickets, new DynamoEventSourceProps
        {
            StartingPosition = StartingPosition.LATEST,
            BatchSize = 100,
            MaxBatchingWindow = Duration.Seconds(1),
            RetryAttempts = 5,
            BisectBatchOnError = true,
            OnFailure = new SqsDlq(NotifierFailures),
        }));
        Allow(Notifier, tables.Tickets, "dynamodb:Query");
        Allow(Notifier, tables.Devices, new[] { "dynamodb:Query" }, KitchenButton.Gateway.Storage.Attributes.DevicesByStationIndex);
        GrantStatePublish(Notifier, settings);

        StatusRecorder = Create("StatusRecorder", settings, code, environment, nameof(Functions.StatusAsync), "Records button health reports", 256, 10);
        StatusRecorder.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(1),
            OnFailure = new SqsDestination(StatusFailures),
        });
        // GetItem: a refused write is told apart, an unknown button from a report a later one superseded.
        Allow(StatusRecorder, tables.Devices, "dynamodb:UpdateItem", "dynamodb:GetItem");

        SilentButtonSweep = Create("SilentButtonSweep", settings, code, environment, nameof(Functions.SilentButtonSweepAsync), "Finds buttons that stopped reporting", 256, 60);
        Allow(SilentButtonSweep, tables.Devices, "dynamodb:Scan");
        new Rule(this, "SweepSchedule", new RuleProps
        {
            Schedule = Schedule.Rate(Duration.Minutes(5)),
            Targets = new IRuleTarget[] { new LambdaFunction(SilentButtonSweep) },
        });

        // An execution stopped by an operator, timed out as a whole or failed by an uncaught error
        // never reaches the workflow's own clean-up: its tickets are withdrawn here.
        OrderCleanup = Create("OrderCleanup", settings, code, environment, nameof(Functions.OrderCleanupAsync), "Withdraws the tickets of orders whose execution ended without the workflow's clean-up", 256, 30);

        // EventBridge invokes a function asynchronously: its target retries and dead-letter queue
        // cover only the handing over; once Lambda has taken the event, a failing clean-up is
        // Lambda's to retry, and without this destination it would be dropped after the retries.
        OrderCleanup.ConfigureAsyncInvoke(new EventInvokeConfigOptions
        {
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(6),
            OnFailure = new SqsDestination(CleanupFailures),
        });
        Allow(OrderCleanup, tables.Tickets, "dynamodb:Query", "dynamodb:DeleteItem");
        OrderEnded = new Rule(this, "OrderEnded", new RuleProps
        {
            Description = "Step Functions: an order execution ended FAILED, TIMED_OUT or ABORTED",
            EventPattern = new EventPattern
            {
                Source = new[] { "aws.states" },
                DetailType = new[] { "Step Functions Execution Status Change" },
                Detail = new Dictionary<string, object>
                {
                    ["status"] = EndedStatuses,
                    ["stateMachineArn"] = new[] { workflow.StateMachine.StateMachineArn },
                },
            },
            Targets = new IRuleTarget[]
            {
                new LambdaFunction(OrderCleanup, new LambdaFunctionProps
                {
                    RetryAttempts = 8,
                    MaxEventAge = Duration.Hours(6),
                    DeadLetterQueue = CleanupFailures,
                }),
            },
        });
    }

    public Function PressHandler { get; }

    public Function Notifier { get; }

    public Function StatusRecorder { get; }

    public Function SilentButtonSweep { get; }

    public Function OrderCleanup { get; }

    /// <summary>The EventBridge rule that hands ended executions to <see cref="OrderCleanup"/>.</summary>
    public Rule OrderEnded { get; }

    /// <summary>Presses whose invocation failed after every retry: nothing is lost, an operator replays them.</summary>
    public Queue PressFailures { get; }

    public Queue NotifierFailures { get; }

    /// <summary>Status reports the recorder could not store after its retries.</summary>
    public Queue StatusFailures { get; }

    /// <summary>Ended executions whose tickets could not be withdrawn (TTL remains the safety net).</summary>
    public Queue CleanupFailures { get; }

    public IEnumerable<Function> All => new[] { PressHandler, Notifier, StatusRecorder, SilentButtonSweep, OrderCleanup };

    /// <summary>The handler string of one entry point of <see cref="Functions"/>: Assembly::Type::Method.</summary>
    public static string HandlerOf(string method) => Assembly + "::" + typeof(Functions).FullName + "::" + method;

    /// <summary>Table rights on the table only, or on one named index: no blanket /index/* grant.</summary>
    private static void Allow(Function function, Table table, params string[] actions) => Allow(function, table, actions, null);

    private static void Allow(Function function, Table table, string[] actions, string? index)
    {
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = actions,
            Resources = new[] { index == null ? table.TableArn : table.TableArn + "/index/" + index },
        }));
    }

    private Function Create(string id, StackSettings settings, Code code, Dictionary<string, string> environment, string handler, string description, int memory, int timeoutSeconds)
    {
        // The asset's architecture is checked before synth (GatewayAsset): a bootstrap built for the
        // other processor would fail every invocation with an exec format error.
        bool aot = settings.Runtime == GatewayRuntime.Aot;
        return new Function(this, id, new FunctionProps
        {
            FunctionName = settings.Names.Function(id),
            Description = description,
            Runtime = aot ? Runtime.PROVIDED_AL2023 : DotNet10,
            Architecture = settings.Architecture == GatewayArchitecture.Arm64 ? Architecture.ARM_64 : Architecture.X86_64,
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

    /// <summary>
    /// The state message is published retained, which needs iot:RetainPublish besides iot:Publish.
    /// ARNs use the deploying stack's own region and account, never an offline synth's.
    /// </summary>
    private static void GrantStatePublish(Function function, StackSettings settings)
    {
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "iot:Publish", "iot:RetainPublish" },
            Resources = new[] { "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":topic/cmd/kitchenbutton/*/state" },
        }));
        if (settings.IotDataEndpoint == null)
        {
            // iot:DescribeEndpoint has no resource-level permissions.
            function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = new[] { "iot:DescribeEndpoint" },
                Resources = new[] { "*" },
            }));
        }
    }
}
