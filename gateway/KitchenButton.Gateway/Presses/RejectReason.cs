namespace KitchenButton.Gateway.Presses;

/// <summary>Why a press was refused. The values are the reason codes in logs, metrics and tests.</summary>
public static class RejectReason
{
    public const string TooLarge = "too-large";
    public const string Malformed = "malformed";
    public const string UnsupportedVersion = "unsupported-version";
    public const string ThingMismatch = "thing-mismatch";
    public const string UnknownDevice = "unknown-device";
    public const string DeviceDisabled = "device-disabled";
    public const string UnknownStation = "unknown-station";
    public const string BadSignature = "bad-signature";
    public const string Stale = "stale";
    public const string FromTheFuture = "from-the-future";

    /// <summary>The press id was already used by a different press (the board's boot counter went back).</summary>
    public const string PressIdReused = "press-id-reused";
}
