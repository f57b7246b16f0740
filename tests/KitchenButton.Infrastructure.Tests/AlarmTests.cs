using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

[Collection(StackCollection.Name)]
public sealed class AlarmTests
{
    private readonly StackFixture _stack;

    public AlarmTests(StackFixture stack)
    {
        _stack = stack;
    }

    private List<JsonElement> Alarms => _stack.Json.Resources("AWS::CloudWatch::Alarm").Select(a => a.Properties).ToList();

    private JsonElement AlarmOn(string ns, string metric, string? dimension = null, string? dimensionValue = null)
    {
        return Alarms.Single(a => a.TryGetProperty("Namespace", out JsonElement n) && n.GetString() == ns && a.GetProperty("MetricName").GetString() == metric
            && (dimension == null || a.GetProperty("Dimensions").EnumerateArray().Any(d => d.GetProperty("Name").GetString() == dimension && TemplateJson.Resolve(d.GetProperty("Value")) == dimensionValue)));
    }

    [Theory]
    [InlineData("FleetRuleErrors")]
    [InlineData("GatewayPressFailures")]
    [InlineData("GatewayNotifierFailures")]
    [InlineData("GatewayStatusFailures")]
    [InlineData("GatewayCleanupFailures")]
    public void A_message_waiting_in_any_dead_letter_queue_raises_an_alarm(string queuePrefix)
    {
        string queue = _stack.Json.Single("AWS::SQS::Queue", queuePrefix).Id;
        JsonElement alarm = AlarmOn("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue + ".QueueName");
        Assert.Equal(1, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm.GetProperty("ComparisonOperator").GetString());
    }

    [Theory]
    [InlineData("FleetPressRule")]
    [InlineData("FleetStatusRule")]
    public void Rule_action_failures_and_parse_errors_raise_alarms(string rulePrefix)
    {
        var (_, rule) = _stack.Json.Single("AWS::IoT::TopicRule", rulePrefix);
        string name = rule.GetProperty("RuleName").GetString()!;
        AlarmOn("AWS/IoT", "Failure", "RuleName", name);
        AlarmOn("AWS/IoT", "ParseError", "RuleName", name);
    }

    [Theory]
    [InlineData("GatewayPressHandler")]
    [InlineData("GatewayNotifier")]
    [InlineData("GatewayStatusRecorder")]
    [InlineData("GatewaySilentButtonSweep")]
    [InlineData("GatewayOrderCleanup")]
    public void Function_errors_and_throttles_raise_alarms(string functionPrefix)
    {
        string function = "ref:" + _stack.Json.Single("AWS::Lambda::Function", functionPrefix).Id;
        AlarmOn("AWS/Lambda", "Errors", "FunctionName", function);
        AlarmOn("AWS/Lambda", "Throttles", "FunctionName", function);
    }

    [Theory]
    [InlineData("KitchenButton/dev", "PressesRejected", 10)]
    [InlineData("KitchenButton/dev", "InvalidTokens", 1)]
    [InlineData("KitchenButton/dev", "KitchenTimeouts", 1)]
    [InlineData("KitchenButton/dev", "SilentButtons", 1)]
    [InlineData("KitchenButton/dev", "DuplicateThingConnections", 3)]
    [InlineData("KitchenButton/dev", "StatePublishFailures", 1)]
    [InlineData("KitchenButton/dev", "DeadTokens", 5)]
    public void Product_alarms_watch_the_gateways_and_workflows_own_metrics(string ns, string metric, double threshold)
    {
        JsonElement alarm = AlarmOn(ns, metric);
        Assert.Equal(threshold, alarm.GetProperty("Threshold").GetDouble());
    }

    [Fact]
    public void Every_alarm_notifies_the_operator_topic()
    {
        string topic = "ref:" + _stack.Json.Single("AWS::SNS::Topic", "AlarmsAlarmTopic").Id;
        Assert.Equal(26, Alarms.Count);
        Assert.All(Alarms, a => Assert.Equal(new[] { topic }, TemplateJson.Strings(a.GetProperty("AlarmActions"))));
        Assert.Empty(_stack.Json.Resources("AWS::SNS::Subscription"));
    }

    [Fact]
    public void An_alarm_email_subscribes_to_the_operator_topic()
    {
        var mailed = StackFixture.With(new StackSettings { AlarmEmail = "ops@example.com" });
        var (_, subscription) = Assert.Single(mailed.Json.Resources("AWS::SNS::Subscription"));
        Assert.Equal("email", subscription.GetProperty("Protocol").GetString());
        Assert.Equal("ops@example.com", subscription.GetProperty("Endpoint").GetString());
    }
}
