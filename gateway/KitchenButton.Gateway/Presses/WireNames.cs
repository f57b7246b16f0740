using System;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// The wire names of <see cref="PressResult"/> and <see cref="RejectReason"/>, without reflection: the
/// strings the state message, the ledger, the logs and the metrics carry.
/// </summary>
public static class WireNames
{
    public static string ToWire(this PressResult result) => result switch
    {
        PressResult.Resumed => "resumed",
        PressResult.ProblemReported => "problem-reported",
        PressResult.NoPending => "no-pending",
        PressResult.Rejected => "rejected",
        PressResult.Duplicate => "duplicate",
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    public static string ToWire(this RejectReason reason) => reason switch
    {
        RejectReason.TooLarge => "too-large",
        RejectReason.Malformed => "malformed",
        RejectReason.UnsupportedVersion => "unsupported-version",
        RejectReason.ThingMismatch => "thing-mismatch",
        RejectReason.UnknownDevice => "unknown-device",
        RejectReason.DeviceDisabled => "device-disabled",
        RejectReason.UnknownStation => "unknown-station",
        RejectReason.BadSignature => "bad-signature",
        RejectReason.Stale => "stale",
        RejectReason.FromTheFuture => "from-the-future",
        RejectReason.PressIdReused => "press-id-reused",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>A result read back from the ledger; false for anything else.</summary>
    public static bool TryParseResult(string? wire, out PressResult result)
    {
        foreach (PressResult candidate in Enum.GetValues<PressResult>())
        {
            if (candidate.ToWire() == wire)
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }
}
