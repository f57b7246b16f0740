namespace KitchenButton.Gateway.Observability;

/// <summary>
/// The gateway's CloudWatch metrics (namespace KitchenButton); the alarms of the stack use these names.
/// A metric's name is a contract with every dashboard, alarm and query that reads its history, so three
/// keep the words the glossary (docs/architecture.md) has since retired: CallbackFailures,
/// PressToCallbackLatency and StatusReportsRejected are answer failures, the press-to-answer latency
/// and refused health reports.
/// </summary>
public static class MetricNames
{
    public const string PressesAccepted = "PressesAccepted";
    public const string PressesRejected = "PressesRejected";
    public const string DuplicatePresses = "DuplicatePresses";
    public const string OrdersResumed = "OrdersResumed";
    public const string ProblemsReported = "ProblemsReported";
    public const string NoPending = "PressesWithNothingPending";
    public const string DeadTokens = "DeadTokens";
    public const string InvalidTokens = "InvalidTokens";
    public const string AnswerFailures = "CallbackFailures";
    public const string PressToAnswerLatency = "PressToCallbackLatency";
    public const string StatePublishFailures = "StatePublishFailures";
    public const string HealthReportsRejected = "StatusReportsRejected";
    public const string SilentButtons = "SilentButtons";
    public const string TicketsWithdrawn = "TicketsWithdrawn";
    public const string CleanupEventsUnreadable = "CleanupEventsUnreadable";
    public const string StreamRecordsUnreadable = "StreamRecordsUnreadable";
}
