using System;

namespace KitchenButton.Gateway.Processing;

/// <summary>The gateway's tunables, with the protocol's defaults.</summary>
public sealed record GatewayOptions
{
    /// <summary>A press stamped further ahead of the broker's receipt than this is refused.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A press stamped longer before the broker's receipt than this is stale.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a claimed task stays reserved for its press. Longer than any invocation can run, so
    /// a claim never lapses under a live invocation; a crashed one's task frees itself after it.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an invocation owns a press in the ledger; at least the function timeout.</summary>
    public TimeSpan LedgerLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long dead tokens may be skipped for one press before it gives up.</summary>
    public int MaxDeadTokensPerPress { get; init; } = 5;

    public void Validate()
    {
        if (MaxFutureSkew < TimeSpan.Zero || MaxAge <= TimeSpan.Zero || LedgerLease <= TimeSpan.Zero || ClaimLease < LedgerLease || MaxDeadTokensPerPress < 1)
        {
            throw new ArgumentException("invalid gateway options: windows must be positive and the claim lease at least the ledger lease");
        }
    }
}
