using System.Collections.Generic;
using System.Globalization;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// The values the order workflow's ${...} placeholders take, in one place for the CDK app (which hands
/// them to CloudFormation's DefinitionSubstitutions) and the local stack (which applies them before
/// creating the state machine on its own Step Functions).
/// </summary>
public static class OrderWorkflowSubstitutions
{
    /// <summary>An order parks one wait per station; more than this many stations is refused as invalid.</summary>
    public const int MaxStationsPerOrder = 10;

    public static Dictionary<string, string> For(string stationsTable, string ticketsTable, int defaultPrepTimeoutSeconds, int maxPrepAttempts, string metricNamespace, string kitchenAlertTopicArn) => new()
    {
        ["StationsTable"] = stationsTable,
        ["PendingTasksTable"] = ticketsTable,
        ["DefaultPrepTimeoutSeconds"] = defaultPrepTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ["MaxPrepAttempts"] = maxPrepAttempts.ToString(CultureInfo.InvariantCulture),
        ["MaxStationsPerOrder"] = MaxStationsPerOrder.ToString(CultureInfo.InvariantCulture),
        ["MetricNamespace"] = metricNamespace,
        ["KitchenAlertTopicArn"] = kitchenAlertTopicArn,
    };
}
