using System.Text.Json.Serialization;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// What a press came to: the <c>result</c> of the state message (docs/protocol.md), written as its
/// wire name (<see cref="WireNames.ToWire(PressResult)"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PressResult>))]
public enum PressResult
{
    [JsonStringEnumMemberName("resumed")]
    Resumed,

    [JsonStringEnumMemberName("problem-reported")]
    ProblemReported,

    [JsonStringEnumMemberName("no-pending")]
    NoPending,

    [JsonStringEnumMemberName("rejected")]
    Rejected,

    [JsonStringEnumMemberName("duplicate")]
    Duplicate,
}
