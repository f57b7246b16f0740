using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.Infrastructure.Constructs;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>The device policy, evaluated for one button against its own and another button's resources.</summary>
[Collection(StackCollection.Name)]
public sealed class DeviceFleetTests
{
    private const string Iot = "arn:aws:iot:eu-west-1:123456789012:";
    private static readonly Dictionary<string, string> Me = new() { ["iot:Connection.Thing.ThingName"] = "pizza-oven-1" };
    private static readonly Dictionary<string, string> Attached = new() { ["iot:Connection.Thing.IsAttached"] = "true" };
    private static readonly Dictionary<string, string> NotAttached = new() { ["iot:Connection.Thing.IsAttached"] = "false" };
    private readonly StackFixture _stack;

    public DeviceFleetTests(StackFixture stack)
    {
        _stack = stack;
    }

    private List<JsonElement> Policy
    {
        get
        {
            var (_, policy) = Assert.Single(_stack.Json.Resources("AWS::IoT::Policy"));
            return policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
        }
    }

    [Fact]
    public void A_button_connects_only_as_its_own_thing_with_its_attached_certificate()
    {
        Assert.True(PolicySimulator.IsAllowed(Policy, "iot:Connect", Iot + "client/pizza-oven-1", Me, Attached));
        Assert.False(PolicySimulator.IsAllowed(Policy, "iot:Connect", Iot + "client/pizza-oven-1", Me, NotAttached));
        Assert.False(PolicySimulator.IsAllowed(Policy, "iot:Connect", Iot + "client/grill-2", Me, Attached));
    }

    [Theory]
    [InlineData("topic/dt/kitchenbutton/pizza-oven-1/press", true)]
    [InlineData("topic/dt/kitchenbutton/pizza-oven-1/status", true)]
    [InlineData("topic/dt/kitchenbutton/grill-2/press", false)]
    [InlineData("topic/dt/kitchenbutton/grill-2/status", false)]
    [InlineData("topic/cmd/kitchenbutton/pizza-oven-1/state", false)]
    [InlineData("topic/dt/kitchenbutton/pizza-oven-1/press/extra", false)]
    public void A_button_publishes_only_its_own_presses_and_status(string topic, bool allowed)
    {
        Assert.Equal(allowed, PolicySimulator.IsAllowed(Policy, "iot:Publish", Iot + topic, Me));
    }

    [Theory]
    [InlineData("iot:Subscribe", "topicfilter/cmd/kitchenbutton/pizza-oven-1/state", true)]
    [InlineData("iot:Subscribe", "topicfilter/cmd/kitchenbutton/+/state", false)]
    [InlineData("iot:Subscribe", "topicfilter/cmd/kitchenbutton/grill-2/state", false)]
    [InlineData("iot:Subscribe", "topicfilter/dt/kitchenbutton/pizza-oven-1/press", false)]
    [InlineData("iot:Receive", "topic/cmd/kitchenbutton/pizza-oven-1/state", true)]
    [InlineData("iot:Receive", "topic/cmd/kitchenbutton/grill-2/state", false)]
    public void A_button_hears_only_its_own_state(string action, string resource, bool allowed)
    {
        Assert.Equal(allowed, PolicySimulator.IsAllowed(Policy, action, Iot + resource, Me));
    }

    [Fact]
    public void Nothing_else_is_allowed()
    {
        Assert.False(PolicySimulator.IsAllowed(Policy, "iot:UpdateThingShadow", Iot + "thing/pizza-oven-1", Me));
        Assert.False(PolicySimulator.IsAllowed(Policy, "iot:DeleteThing", Iot + "thing/pizza-oven-1", Me));
        Assert.All(Policy, s => Assert.Equal("Allow", s.GetProperty("Effect").GetString()));
        Assert.DoesNotContain(Policy, s => TemplateJson.Strings(s.GetProperty("Action")).Any(a => a.Contains('*')));
    }

    [Theory]
    [InlineData("FleetPressRule", DeviceFleet.PressRuleSql, "GatewayPressHandler", "FleetRuleErrors")]
    [InlineData("FleetStatusRule", DeviceFleet.StatusRuleSql, "GatewayStatusRecorder", "GatewayStatusFailures")]
    public void Topic_rules_hand_messages_to_their_function_and_failures_to_a_queue(string idPrefix, string sql, string function, string errorQueue)
    {
        var (ruleId, rule) = _stack.Json.Single("AWS::IoT::TopicRule", idPrefix);
        JsonElement payload = rule.GetProperty("TopicRulePayload");
        Assert.Equal(sql, payload.GetProperty("Sql").GetString());
        Assert.Equal("2016-03-23", payload.GetProperty("AwsIotSqlVersion").GetString());
        string target = _stack.Json.Single("AWS::Lambda::Function", function).Id;
        Assert.Equal(target + ".Arn", TemplateJson.Resolve(Assert.Single(payload.GetProperty("Actions").EnumerateArray()).GetProperty("Lambda").GetProperty("FunctionArn")));

        JsonElement sqs = payload.GetProperty("ErrorAction").GetProperty("Sqs");
        var (queueId, queue) = _stack.Json.Single("AWS::SQS::Queue", errorQueue);
        Assert.Equal("ref:" + queueId, TemplateJson.Resolve(sqs.GetProperty("QueueUrl")));
        Assert.Equal(1209600, queue.GetProperty("MessageRetentionPeriod").GetInt32());
        Assert.True(queue.GetProperty("SqsManagedSseEnabled").GetBoolean());
        string errorRole = sqs.GetProperty("RoleArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        Assert.True(PolicySimulator.IsAllowed(_stack.Json.StatementsOfRole(errorRole), "sqs:SendMessage", queueId + ".Arn"));
        Assert.False(PolicySimulator.IsAllowed(_stack.Json.StatementsOfRole(errorRole), "sqs:DeleteMessage", queueId + ".Arn"));

        // IoT may invoke the function, and only on behalf of this rule.
        var permission = _stack.Json.Resources("AWS::Lambda::Permission")
            .Single(p => TemplateJson.Resolve(p.Properties.GetProperty("SourceArn")) == ruleId + ".Arn").Properties;
        Assert.Equal("iot.amazonaws.com", permission.GetProperty("Principal").GetString());
        Assert.Equal("lambda:InvokeFunction", permission.GetProperty("Action").GetString());
        Assert.Equal(target + ".Arn", TemplateJson.Resolve(permission.GetProperty("FunctionName")));
        Assert.Equal(StackFixture.Account, TemplateJson.Resolve(permission.GetProperty("SourceAccount")));
    }

    [Fact]
    public void Only_presses_wait_in_the_rule_errors_queue_so_replaying_the_presses_empties_it()
    {
        // `presses replay --all` leaves what is not a press in its queue: were a health report there,
        // RuleErrorsWaiting would stay raised for the queue's 14 days and hide the next outage.
        string ruleErrors = _stack.Json.Single("AWS::SQS::Queue", "FleetRuleErrors").Id;
        string statusFailures = _stack.Json.Single("AWS::SQS::Queue", "GatewayStatusFailures").Id;
        var errorQueues = _stack.Json.Resources("AWS::IoT::TopicRule").ToDictionary(
            r => r.Id, r => TemplateJson.Resolve(r.Properties.GetProperty("TopicRulePayload").GetProperty("ErrorAction").GetProperty("Sqs").GetProperty("QueueUrl")));
        Assert.Equal(3, errorQueues.Count);
        Assert.Equal(_stack.Json.Single("AWS::IoT::TopicRule", "FleetPressRule").Id, Assert.Single(errorQueues, q => q.Value == "ref:" + ruleErrors).Key);
        Assert.All(errorQueues.Where(q => q.Value != "ref:" + ruleErrors), q => Assert.Equal("ref:" + statusFailures, q.Value));
    }

    [Fact]
    public void Two_boards_sharing_a_thing_name_are_counted_and_named()
    {
        var (_, rule) = _stack.Json.Single("AWS::IoT::TopicRule", "FleetDuplicateThingRule");
        JsonElement payload = rule.GetProperty("TopicRulePayload");
        Assert.Equal(DeviceFleet.DuplicateThingRuleSql, payload.GetProperty("Sql").GetString());
        Assert.Contains("'$aws/events/presence/disconnected/+'", payload.GetProperty("Sql").GetString());
        var actions = payload.GetProperty("Actions").EnumerateArray().ToList();
        JsonElement metric = actions.Single(a => a.TryGetProperty("CloudwatchMetric", out _)).GetProperty("CloudwatchMetric");
        Assert.Equal("KitchenButton/dev", metric.GetProperty("MetricNamespace").GetString());
        Assert.Equal("DuplicateThingConnections", metric.GetProperty("MetricName").GetString());
        JsonElement logs = actions.Single(a => a.TryGetProperty("CloudwatchLogs", out _)).GetProperty("CloudwatchLogs");
        string role = metric.GetProperty("RoleArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        var statements = _stack.Json.StatementsOfRole(role);
        Assert.True(PolicySimulator.IsAllowed(statements, "cloudwatch:PutMetricData", "*", context: new Dictionary<string, string> { ["cloudwatch:namespace"] = "KitchenButton/dev" }));
        Assert.False(PolicySimulator.IsAllowed(statements, "cloudwatch:PutMetricData", "*", context: new Dictionary<string, string> { ["cloudwatch:namespace"] = "KitchenButton/prod" }));
        Assert.False(PolicySimulator.IsAllowed(statements, "cloudwatch:PutMetricData", "*", context: new Dictionary<string, string> { ["cloudwatch:namespace"] = "AWS/EC2" }));
        string logGroup = _stack.Json.Single("AWS::Logs::LogGroup", "FleetDuplicateThingLog").Id;
        Assert.Equal("ref:" + logGroup, TemplateJson.Resolve(logs.GetProperty("LogGroupName")));
        Assert.True(PolicySimulator.IsAllowed(statements, "logs:PutLogEvents", logGroup + ".Arn"));

        // The CloudWatch Logs action describes the streams before writing; without this it always fails.
        Assert.True(PolicySimulator.IsAllowed(statements, "logs:DescribeLogStreams", logGroup + ".Arn"));
        Assert.True(PolicySimulator.IsAllowed(statements, "logs:CreateLogStream", logGroup + ".Arn"));
    }

    [Fact]
    public void Buttons_have_a_thing_type_searchable_by_station()
    {
        var (_, type) = Assert.Single(_stack.Json.Resources("AWS::IoT::ThingType"));
        Assert.Equal("KitchenButton-dev", type.GetProperty("ThingTypeName").GetString());
        Assert.Equal(new[] { "station" }, type.GetProperty("ThingTypeProperties").GetProperty("SearchableAttributes").EnumerateArray().Select(a => a.GetString()));
    }
}
