using System.Collections.Generic;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;
using KitchenButton.Gateway.Observability;
using Function = Amazon.CDK.AWS.Lambda.Function;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// The alarms an operator needs, all to one SNS topic (optionally mailed): lost or stuck events,
/// failing functions, a burst of rejected presses, orders timing out at the kitchen, corrupt task
/// tokens, silent buttons.
/// </summary>
public sealed class OperationsAlarms : Construct
{
    private readonly SnsAction _notify;
    private readonly string _namespace;

    public OperationsAlarms(Construct scope, string id, StackSettings settings, GatewayFunctions functions, DeviceFleet fleet)
        : base(scope, id)
    {
        Topic = new Topic(this, "AlarmTopic", new TopicProps { TopicName = settings.Names.AlarmTopic, DisplayName = "KitchenButton alarms" });
        if (settings.AlarmEmail != null)
        {
            Topic.AddSubscription(new EmailSubscription(settings.AlarmEmail));
        }

        _notify = new SnsAction(Topic);
        _namespace = settings.MetricNamespace;

        QueueNotEmpty("RuleErrorsWaiting", fleet.RuleErrors, "The press rule could not invoke the press handler; the presses wait in the rule-errors queue for replay.");
        QueueNotEmpty("PressFailuresWaiting", functions.PressFailures, "Presses failed after every retry; they wait in the press-failures queue for replay.");
        QueueNotEmpty("NotifierFailuresWaiting", functions.NotifierFailures, "Pending-count updates failed after every retry; buttons may show a stale count until `kitchenbutton station sync --all`.");
        QueueNotEmpty("StatusFailuresWaiting", functions.StatusFailures, "Button health reports (or duplicate-thing events) could not be stored, or IoT could not hand them to their rule's action.");
        QueueNotEmpty("CleanupFailuresWaiting", functions.CleanupFailures, "Tickets of ended order executions could not be withdrawn; the events wait in the cleanup-failures queue for replay.");

        foreach (RuleRef rule in new[] { new RuleRef("PressRule", fleet.PressRule.RuleName!), new RuleRef("StatusRule", fleet.StatusRule.RuleName!) })
        {
            Add(rule.Id + "ActionFailures", IotMetric("Failure", rule.Name), 1, "The IoT rule " + rule.Name + " failed to run its action.");
            Add(rule.Id + "ParseErrors", IotMetric("ParseError", rule.Name), 1, "The IoT rule " + rule.Name + " could not parse messages.");
        }

        foreach (Function function in functions.All)
        {
            string name = function.Node.Id;
            Add(name + "Errors", function.MetricErrors(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }), 1, "The " + name + " function is failing.");
            Add(name + "Throttles", function.MetricThrottles(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }), 1, "The " + name + " function is throttled.");
        }

        Add("RejectedPresses", GatewayMetric(MetricNames.PressesRejected, "Sum"), settings.RejectedPressAlarmThreshold,
            "Many presses were rejected: a misconfigured or forged button? See the gateway's log for reasons.");
        Add("InvalidTokens", GatewayMetric(MetricNames.InvalidTokens, "Sum"), 1,
            "Step Functions called a stored task token invalid: the pending-task table holds corrupt data (unlike timed-out tokens, this never happens by itself).");
        Add("StatePublishFailures", GatewayMetric(MetricNames.StatePublishFailures, "Sum"), 1,
            "The gateway could not publish buttons' state messages: buttons get no feedback. Check the functions' iot:Publish and iot:RetainPublish rights and the IoT endpoint.");
        Add("DeadTokens", GatewayMetric(MetricNames.DeadTokens, "Sum"), 5,
            "Presses keep meeting orders whose wait already ended: tickets outlive their executions. Check the order-cleanup function and the workflow's clean-up paths.");
        Add("KitchenTimeouts", new Metric(new MetricProps { Namespace = _namespace, MetricName = "KitchenTimeouts", Statistic = "Sum", Period = Duration.Minutes(5) }), 1,
            "Orders waited at the kitchen past their timeout without a button press.");
        Add("DuplicateThings", new Metric(new MetricProps { Namespace = _namespace, MetricName = DeviceFleet.DuplicateThingMetric, Statistic = "Sum", Period = Duration.Minutes(5) }), 3,
            "Two boards use the same thing name and keep knocking each other offline; the duplicate-things log names the thing. Give each board its own thing.");
        Add("SilentButtons", GatewayMetric(MetricNames.SilentButtons, "Maximum"), 1,
            "A button has not reported for two status intervals: check its power and Wi-Fi. The sweep's log names it.");
    }

    public Topic Topic { get; }

    private Metric GatewayMetric(string name, string statistic) => new(new MetricProps
    {
        Namespace = _namespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [GatewayTelemetry.ServiceDimension] = GatewayTelemetry.ServiceName },
        Statistic = statistic,
        Period = Duration.Minutes(5),
    });

    private static Metric IotMetric(string name, string ruleName) => new(new MetricProps
    {
        Namespace = "AWS/IoT",
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["RuleName"] = ruleName },
        Statistic = "Sum",
        Period = Duration.Minutes(5),
    });

    private void QueueNotEmpty(string id, Queue queue, string description)
    {
        Add(id, queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Maximum" }), 1, description);
    }

    private void Add(string id, IMetric metric, double threshold, string description)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });
        alarm.AddAlarmAction(_notify);
    }

    private sealed record RuleRef(string Id, string Name);
}
