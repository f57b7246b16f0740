using System;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Idempotency;

/// <summary>
/// The idempotency record of each press, keyed by (thing, boot, seq), written conditionally and
/// expiring by TTL after longer than the freshness window (after which a replay is stale anyway).
/// </summary>
public interface IPressLedger
{
    /// <summary>
    /// Takes ownership of the press for <paramref name="owner"/> (one invocation) unless it is
    /// completed, held by another live invocation, or the id belongs to a different press
    /// (<paramref name="fingerprint"/> differs). Safe under the SDK's own retries: a write of ours
    /// that landed before its answer was lost is recognised by its owner. A first delivery records
    /// <paramref name="intended"/> as its claim in the same write (one call fewer per press).
    /// </summary>
    Task<LedgerEntry> BeginAsync(string pressId, string thing, string fingerprint, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken, Ticket? intended = null);

    /// <summary>Records the task about to be answered, before its token is used.</summary>
    Task RecordClaimAsync(string pressId, Ticket task, CancellationToken cancellationToken);

    /// <summary>Forgets the claim once its task is known not to carry this press's answer.</summary>
    Task ClearClaimAsync(string pressId, CancellationToken cancellationToken);

    Task CompleteAsync(string pressId, PressResult result, string? orderId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends this owner's lease early so a retry can take over at once.</summary>
    Task ReleaseLeaseAsync(string pressId, string owner, CancellationToken cancellationToken);
}
