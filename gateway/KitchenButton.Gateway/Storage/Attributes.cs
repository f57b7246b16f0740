namespace KitchenButton.Gateway.Storage;

/// <summary>
/// Attribute names of the tables. The pending-task names are also written by the order workflow's
/// kitchen step (gateway/workflow), so they are a contract: change both together.
/// </summary>
public static class Attributes
{
    // pending-tasks: PK stationId, SK queueKey ("{enqueuedAt ISO-8601}#{orderId}", sorts FIFO).
    public const string StationId = "stationId";
    public const string QueueKey = "queueKey";
    public const string OrderId = "orderId";
    public const string Summary = "summary";
    public const string TaskToken = "taskToken";
    public const string EnqueuedAt = "enqueuedAt";

    /// <summary>
    /// When the kitchen step parked this ticket (its own entry, later than enqueuedAt when the order
    /// was requeued): a press made before it cannot be meant for it.
    /// </summary>
    public const string ParkedAt = "parkedAt";

    public const string ExpiresAt = "expiresAt";
    public const string ClaimedBy = "claimedBy";
    public const string ClaimUntil = "claimUntil";

    /// <summary>The execution that parked the ticket, so its tickets can be found when it ends abnormally.</summary>
    public const string ExecutionArn = "executionArn";

    // devices: PK thing; GSI byStation (stationId).
    public const string Thing = "thing";
    public const string Secret = "secret";
    public const string Enabled = "enabled";
    public const string PairedAt = "pairedAt";
    public const string DevicesByStationIndex = "byStation";

    // devices: the last health report (DeviceHealthMonitor).
    public const string LastStatusAt = "lastStatusAt";
    public const string Firmware = "firmware";
    public const string BootCounter = "bootCounter";
    public const string UptimeSeconds = "uptimeSeconds";
    public const string FreeMemory = "freeMemory";
    public const string WifiRssi = "wifiRssi";
    public const string QueuedPresses = "queuedPresses";
    public const string LastError = "lastError";

    // stations: PK stationId.
    public const string Name = "name";
    public const string TimeoutSeconds = "timeoutSeconds";

    // press-ledger: PK pressId ("{thing}#{boot}#{seq}").
    public const string PressId = "pressId";
    public const string Status = "status";
    public const string LeaseUntil = "leaseUntil";
    public const string Result = "result";
    public const string ClaimedQueueKey = "claimedQueueKey";
    public const string ClaimedOrderId = "claimedOrderId";
    public const string ClaimedToken = "claimedToken";
    public const string ClaimedExecution = "claimedExecution";
    public const string Owner = "owner";
    public const string Fingerprint = "fingerprint";
    public const string CreatedAt = "createdAt";
    public const string CompletedAt = "completedAt";
}
