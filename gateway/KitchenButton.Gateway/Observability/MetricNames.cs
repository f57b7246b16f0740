namespace KitchenButton.Gateway.Observability;

/// <summary>The gateway's CloudWatch metrics (namespace KitchenButton); the alarms of the stack use these names.</summary>
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
    public const string CallbackFailures = "CallbackFailures";
    public const string PressToCallbackLatency = "PressToCallbackLatency";
    public const string StatePublishFailures = "StatePublishFailures";
    public const string StatusReportsRejected = "StatusReportsRejected";
    public const string SilentButtons = "SilentButtons";
    public const string TicketsWithdrawn = "TicketsWithdrawn";
    public const string CleanupEventsUnreadable = "CleanupEventsUnreadable";
    public const string StreamRecordsUnreadable = "StreamRecordsUnreadable";
}
