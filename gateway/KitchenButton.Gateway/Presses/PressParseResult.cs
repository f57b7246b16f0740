namespace KitchenButton.Gateway.Presses;

/// <summary>Either a parsed envelope or the reason it was refused, with a detail safe to log.</summary>
public sealed record PressParseResult(PressEnvelope? Envelope, RejectReason? Reason, string? Detail)
{
    public bool IsValid => Envelope != null;

    public static PressParseResult Ok(PressEnvelope envelope) => new(envelope, null, null);

    public static PressParseResult Fail(RejectReason reason, string detail) => new(null, reason, detail);
}
