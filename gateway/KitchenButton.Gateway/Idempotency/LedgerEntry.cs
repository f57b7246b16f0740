using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Idempotency;

/// <summary>The state of one press in the ledger.</summary>
public enum LedgerStatus
{
    /// <summary>This invocation now owns the press (first delivery, its own write retried by the SDK, or a retry taking over an expired lease).</summary>
    Acquired,

    /// <summary>Another invocation holds a live lease on it.</summary>
    InProgress,

    /// <summary>Already handled; <see cref="LedgerEntry.Result"/> is the first result.</summary>
    Completed,

    /// <summary>The id was seen with a different press (another fingerprint): a board's boot counter went back.</summary>
    Reused,
}

/// <summary>The task a press claimed before answering it: a retry resumes exactly this task.</summary>
public sealed record ClaimedTask(string QueueKey, string OrderId, string TaskToken, string? ExecutionArn);

/// <summary>
/// What the ledger knows about a press. <see cref="IsNew"/>: this call created the record (the first
/// delivery), so <see cref="Claim"/> is null and any task given to Begin is recorded as the claim;
/// otherwise <see cref="Claim"/> is what an earlier attempt recorded.
/// </summary>
public sealed record LedgerEntry(LedgerStatus Status, PressResult? Result, string? OrderId, ClaimedTask? Claim, bool IsNew = false);
