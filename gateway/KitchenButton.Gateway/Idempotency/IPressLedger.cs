using System;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Idempotency;

/// <summary>
/// The idempotency record of each press, keyed by (thing, boot, seq), written conditionally and
/// expiring by TTL after longer than the freshness window (after which a replay is stale anyway).
/// </summary>
public interface IPressLedger
{
    /// <summary>Takes ownership of the press unless it is completed or held by a live invocation.</summary>
    Task<LedgerEntry> BeginAsync(string pressId, string thing, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the task being answered before its token is used.</summary>
    Task RecordClaimAsync(string pressId, string queueKey, string orderId, CancellationToken cancellationToken);

    /// <summary>Forgets the claim after a dead token, before moving on to the next task.</summary>
    Task ClearClaimAsync(string pressId, CancellationToken cancellationToken);

    /// <summary>Marks that an answer was sent whose outcome is unknown (timeout, 5xx).</summary>
    Task MarkAnswerMayHaveLandedAsync(string pressId, CancellationToken cancellationToken);

    Task CompleteAsync(string pressId, string result, string? orderId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends this invocation's lease early so a retry can take over at once.</summary>
    Task ReleaseLeaseAsync(string pressId, CancellationToken cancellationToken);
}
