namespace KitchenButton.Gateway.Idempotency;

/// <summary>The state of one press in the ledger.</summary>
public enum LedgerStatus
{
    /// <summary>This invocation now owns the press (first delivery, or a retry taking over an expired lease).</summary>
    Acquired,

    /// <summary>Another invocation is working on it now.</summary>
    InProgress,

    /// <summary>Already handled; <see cref="LedgerEntry.Result"/> is the first result.</summary>
    Completed,
}

/// <summary>
/// What the ledger knows about a press. <see cref="ClaimedQueueKey"/> is set while a task is being
/// answered, so a retry resumes that same task instead of taking the next one.
/// </summary>
public sealed record LedgerEntry(LedgerStatus Status, string? Result, string? OrderId, string? ClaimedQueueKey, string? ClaimedOrderId, bool AnswerMayHaveLanded);
