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
    /// How far behind AWS's clock a device's (SNTP-set) clock may be when it dates a press it kept
    /// offline: such a press may answer orders parked up to this long after its own time.
    /// </summary>
    public TimeSpan DeviceClockTolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a claimed task stays reserved for its press. Longer than any invocation can run, so
    /// a claim never lapses under a live invocation; a crashed one's task frees itself after it.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an invocation owns a press in the ledger; at least the function timeout.</summary>
    public TimeSpan LedgerLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an invocation may run when its caller gives no deadline: the press handler's
    /// function timeout (the CDK stack sets both from one value).
    /// </summary>
    public TimeSpan InvocationTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The time one answer to Step Functions may take, all its attempts included. An answer is sent
    /// only with this much time left before the reserve, so no invocation is cut off mid-answer by
    /// its own timeout.
    /// </summary>
    public TimeSpan AnswerBudget { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Kept back at the end of an invocation to record its outcome (ledger, claim, button).</summary>
    public TimeSpan FinishReserve { get; init; } = TimeSpan.FromSeconds(3);

    public void Validate()
    {
        if (MaxFutureSkew < TimeSpan.Zero || MaxAge <= TimeSpan.Zero || DeviceClockTolerance < TimeSpan.Zero || LedgerLease <= TimeSpan.Zero || ClaimLease < LedgerLease
            || AnswerBudget <= TimeSpan.Zero || FinishReserve <= TimeSpan.Zero || InvocationTime <= AnswerBudget + FinishReserve)
        {
            throw new ArgumentException("invalid gateway options: windows must be positive, the claim lease at least the ledger lease, and an invocation longer than one answer and the finishing reserve");
        }
    }
}
