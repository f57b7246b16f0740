using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Processing;

/// <summary>What the gateway did with one press event: the handler's return value, and what the logs say.</summary>
public sealed record PressOutcome(
    PressResult Result,
    RejectReason? Reason = null,
    string? Detail = null,
    string? PressId = null,
    string? Thing = null,
    string? StationId = null,
    string? OrderId = null,
    bool Duplicate = false);
