using System.Text.Json.Serialization;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// Why a press was refused, written as its wire name (<see cref="WireNames.ToWire(RejectReason)"/>)
/// in logs, metrics and the handler's output.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectReason>))]
public enum RejectReason
{
    [JsonStringEnumMemberName("too-large")]
    TooLarge,

    [JsonStringEnumMemberName("malformed")]
    Malformed,

    [JsonStringEnumMemberName("unsupported-version")]
    UnsupportedVersion,

    [JsonStringEnumMemberName("thing-mismatch")]
    ThingMismatch,

    [JsonStringEnumMemberName("unknown-device")]
    UnknownDevice,

    [JsonStringEnumMemberName("device-disabled")]
    DeviceDisabled,

    [JsonStringEnumMemberName("unknown-station")]
    UnknownStation,

    [JsonStringEnumMemberName("bad-signature")]
    BadSignature,

    [JsonStringEnumMemberName("stale")]
    Stale,

    [JsonStringEnumMemberName("from-the-future")]
    FromTheFuture,

    /// <summary>The press id was already used by a different press (the board's boot counter went back).</summary>
    [JsonStringEnumMemberName("press-id-reused")]
    PressIdReused,
}
