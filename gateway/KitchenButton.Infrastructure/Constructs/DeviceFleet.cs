using System.Collections.Generic;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using CfnPolicy = Amazon.CDK.AWS.IoT.CfnPolicy;
using CfnPolicyProps = Amazon.CDK.AWS.IoT.CfnPolicyProps;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// AWS IoT for the buttons: a thing type, the device policy (each button may use only its own client
/// id and topics), and the topic rules that hand presses and health reports to the gateway, with an
/// error action so a press is never lost when the function cannot be invoked.
/// </summary>
public sealed class DeviceFleet : Construct
{
    public const string PressRuleSql = "SELECT *, topic(3) AS topicThing, clientid() AS clientId, timestamp() AS receivedAt FROM 'dt/kitchenbutton/+/press'";
    public const string StatusRuleSql = "SELECT *, topic(3) AS topicThing, timestamp() AS receivedAt FROM 'dt/kitchenbutton/+/status'";

    /// <summary>AWS IoT's own lifecycle event when a second connection takes over a client id.</summary>
    public const string DuplicateThingRuleSql = "SELECT topic(5) AS thing, disconnectReason, timestamp() AS at FROM '$aws/events/presence/disconnected/+' WHERE disconnectReason = 'DUPLICATE_CLIENTID'";

    public const string DuplicateThingMetric = "DuplicateThingConnections";
    private const string ThingVariable = "${iot:Connection.Thing.ThingName}";

    public DeviceFleet(Construct scope, string id, StackSettings settings, GatewayFunctions functions)
        : base(scope, id)
    {
        Stack stack = Stack.Of(this);

        // The deploying stack's own partition, region and account, never an offline synth's.
        string arn = "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";

        ThingType = new CfnThingType(this, "ThingType", new CfnThingTypeProps
        {
            ThingTypeName = settings.Names.ThingType,
            ThingTypeProperties = new CfnThingType.ThingTypePropertiesProperty
            {
                ThingTypeDescription = "A KitchenButton prep button (ESP32, nanoFramework)",
                SearchableAttributes = new[] { "station" },
            },
        });

        DevicePolicy = new CfnPolicy(this, "DevicePolicy", new CfnPolicyProps
        {
            PolicyName = settings.Names.DevicePolicy,
            PolicyDocument = new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    Statement("iot:Connect", arn + "client/" + ThingVariable, attachedOnly: true),
                    Statement("iot:Publish", new[] { arn + "topic/dt/kitchenbutton/" + ThingVariable + "/press", arn + "topic/dt/kitchenbutton/" + ThingVariable + "/status" }),
                    Statement("iot:Subscribe", arn + "topicfilter/cmd/kitchenbutton/" + ThingVariable + "/state"),
                    Statement("iot:Receive", arn + "topic/cmd/kitchenbutton/" + ThingVariable + "/state"),
                },
            },
        });

        RuleErrors = new Queue(this, "RuleErrors", new QueueProps
        {
            QueueName = settings.Names.RuleErrorsQueue,
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        var ruleRole = new Role(this, "RuleErrorRole", new RoleProps { AssumedBy = new ServicePrincipal("iot.amazonaws.com") });
        RuleErrors.GrantSendMessages(ruleRole);
        functions.StatusFailures.GrantSendMessages(ruleRole);

        // Only presses wait in rule-errors, so `presses replay --all` empties it and its alarm clears.
        // A health report or a duplicate-thing event IoT could not deliver joins the status recorder's
        // own failures: stale as soon as the button reports again, cleared by purging that queue.
        PressRule = Rule("PressRule", "kitchenbutton_" + settings.EnvironmentName.Replace('-', '_') + "_press", PressRuleSql, functions.PressHandler, RuleErrors, ruleRole, stack);
        StatusRule = Rule("StatusRule", "kitchenbutton_" + settings.EnvironmentName.Replace('-', '_') + "_status", StatusRuleSql, functions.StatusRecorder, functions.StatusFailures, ruleRole, stack);
        DuplicateThingRule = DuplicateThings(settings, functions.StatusFailures, ruleRole);
    }

    /// <summary>Counts and logs duplicate-client-id takeovers: two boards flashed with one thing name.</summary>
    public CfnTopicRule DuplicateThingRule { get; }

    public LogGroup DuplicateThingLog { get; private set; } = null!;

    public CfnThingType ThingType { get; }

    public CfnPolicy DevicePolicy { get; }

    public CfnTopicRule PressRule { get; }

    public CfnTopicRule StatusRule { get; }

    /// <summary>Presses the press rule could not hand to the press handler, kept 14 days.</summary>
    public Queue RuleErrors { get; }

    private CfnTopicRule DuplicateThings(StackSettings settings, Queue errors, Role ruleRole)
    {
        DuplicateThingLog = new LogGroup(this, "DuplicateThingLog", new LogGroupProps
        {
            LogGroupName = "/kitchenbutton/" + settings.EnvironmentName + "/duplicate-things",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var role = new Role(this, "DuplicateThingRole", new RoleProps { AssumedBy = new ServicePrincipal("iot.amazonaws.com") });
        // The CloudWatch Logs action describes the log streams before it writes: without
        // logs:DescribeLogStreams every action fails into the error queue.
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents" },
            Resources = new[] { DuplicateThingLog.LogGroupArn },
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = new[] { "cloudwatch:PutMetricData" },
            Resources = new[] { "*" },
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["cloudwatch:namespace"] = settings.MetricNamespace },
            },
        }));
        return new CfnTopicRule(this, "DuplicateThingRule", new CfnTopicRuleProps
        {
            RuleName = "kitchenbutton_" + settings.EnvironmentName.Replace('-', '_') + "_duplicate_things",
            TopicRulePayload = new CfnTopicRule.TopicRulePayloadProperty
            {
                Sql = DuplicateThingRuleSql,
                AwsIotSqlVersion = "2016-03-23",
                RuleDisabled = false,
                Actions = new object[]
                {
                    new CfnTopicRule.ActionProperty
                    {
                        CloudwatchMetric = new CfnTopicRule.CloudwatchMetricActionProperty
                        {
                            MetricNamespace = settings.MetricNamespace,
                            MetricName = DuplicateThingMetric,
                            MetricValue = "1",
                            MetricUnit = "Count",
                            RoleArn = role.RoleArn,
                        },
                    },
                    new CfnTopicRule.ActionProperty
                    {
                        CloudwatchLogs = new CfnTopicRule.CloudwatchLogsActionProperty { LogGroupName = DuplicateThingLog.LogGroupName, RoleArn = role.RoleArn },
                    },
                },
                ErrorAction = new CfnTopicRule.ActionProperty
                {
                    Sqs = new CfnTopicRule.SqsActionProperty { QueueUrl = errors.QueueUrl, RoleArn = ruleRole.RoleArn, UseBase64 = false },
                },
            },
        });
    }

    private CfnTopicRule Rule(string id, string name, string sql, Function target, Queue errors, Role errorRole, Stack stack)
    {
        var rule = new CfnTopicRule(this, id, new CfnTopicRuleProps
        {
            RuleName = name,
            TopicRulePayload = new CfnTopicRule.TopicRulePayloadProperty
            {
                Sql = sql,
                AwsIotSqlVersion = "2016-03-23",
                RuleDisabled = false,
                Actions = new object[]
                {
                    new CfnTopicRule.ActionProperty { Lambda = new CfnTopicRule.LambdaActionProperty { FunctionArn = target.FunctionArn } },
                },
                ErrorAction = new CfnTopicRule.ActionProperty
                {
                    Sqs = new CfnTopicRule.SqsActionProperty { QueueUrl = errors.QueueUrl, RoleArn = errorRole.RoleArn, UseBase64 = false },
                },
            },
        });
        target.AddPermission(id + "Invoke", new Permission
        {
            Principal = new ServicePrincipal("iot.amazonaws.com"),
            SourceArn = rule.AttrArn,
            SourceAccount = stack.Account,
        });
        return rule;
    }

    private static Dictionary<string, object> Statement(string action, string resource, bool attachedOnly = false) => Statement(action, new[] { resource }, attachedOnly);

    private static Dictionary<string, object> Statement(string action, string[] resources, bool attachedOnly = false)
    {
        var statement = new Dictionary<string, object>
        {
            ["Effect"] = "Allow",
            ["Action"] = new[] { action },
            ["Resource"] = resources,
        };
        if (attachedOnly)
        {
            // Only a certificate attached to the thing of that name may connect as it.
            statement["Condition"] = new Dictionary<string, object>
            {
                ["Bool"] = new Dictionary<string, object> { ["iot:Connection.Thing.IsAttached"] = "true" },
            };
        }

        return statement;
    }
}
