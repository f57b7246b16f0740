namespace KitchenButton.Gateway.Presses;

/// <summary>One press as signed by the device (docs/protocol.md, wire format v1).</summary>
public sealed record Press(string Thing, uint Boot, uint Seq, long Timestamp, PressKind Kind, uint HeldMs, bool Queued, string Signature)
{
    /// <summary>The idempotency key of the press: unique for the life of a device.</summary>
    public string Id => Thing + "#" + Boot + "#" + Seq;

    public string KindName => Kind == PressKind.Long ? "long" : "short";
}
