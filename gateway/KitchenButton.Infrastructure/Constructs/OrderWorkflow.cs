using System.Collections.Generic;
using System.IO;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// The Standard order workflow, loaded from gateway/workflow/order-workflow.asl.json. The definition
/// is a file, so CDK cannot infer what it touches: every right it needs is granted here, explicitly.
/// </summary>
public sealed class OrderWorkflow : Construct
{
    public OrderWorkflow(Construct scope, string id, StackSettings settings, DataTables tables)
        : base(scope, id)
    {
        KitchenAlerts = new Topic(this, "KitchenAlerts", new TopicProps
        {
            TopicName = settings.Names.KitchenAlertsTopic,
            DisplayName = "KitchenButton kitchen alerts",
        });

        var logs = new LogGroup(this, "ExecutionLogs", new LogGroupProps
        {
            LogGroupName = "/aws/vendedlogs/states/" + settings.Names.StateMachine,
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = settings.IsProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });

        StateMachineName = settings.Names.StateMachine;
        StateMachine = new StateMachine(this, "Orders", new StateMachineProps
        {
            StateMachineName = StateMachineName,
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromString(File.ReadAllText(DefinitionPath)),
            DefinitionSubstitutions = Substitutions(settings, tables, KitchenAlerts),
            TracingEnabled = true,

            // Errors only, without execution data: task tokens and orders stay out of the logs.
            Logs = new LogOptions { Destination = logs, Level = LogLevel.ERROR, IncludeExecutionData = false },
        });

        StateMachine.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "dynamodb:PutItem", "dynamodb:DeleteItem" },
            Resources = new[] { tables.Tickets.TableArn },
        }));
        StateMachine.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "dynamodb:GetItem" },
            Resources = new[] { tables.Stations.TableArn },
        }));
        KitchenAlerts.GrantPublish(StateMachine);
        StateMachine.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "cloudwatch:PutMetricData" },
            Resources = new[] { "*" },
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["cloudwatch:namespace"] = settings.MetricNamespace },
            },
        }));
    }

    /// <summary>An order parks one wait per station; more than this many stations is refused as invalid.</summary>
    public const int MaxStationsPerOrder = KitchenButton.Gateway.Orders.OrderWorkflowSubstitutions.MaxStationsPerOrder;

    /// <summary>Where the definition is, next to the app (copied there by the build).</summary>
    public static string DefinitionPath => Path.Combine(System.AppContext.BaseDirectory, "workflow", "order-workflow.asl.json");

    public StateMachine StateMachine { get; }

    /// <summary>The state machine's name, known at synth time (execution ARNs are built from it).</summary>
    public string StateMachineName { get; }

    public Topic KitchenAlerts { get; }

    /// <summary>The values the definition's ${...} placeholders take.</summary>
    public static Dictionary<string, string> Substitutions(StackSettings settings, DataTables tables, Topic kitchenAlerts) =>
        KitchenButton.Gateway.Orders.OrderWorkflowSubstitutions.For(tables.Stations.TableName, tables.Tickets.TableName,
            settings.DefaultPrepTimeoutSeconds, settings.MaxPrepAttempts, settings.MetricNamespace, kitchenAlerts.TopicArn);
}
