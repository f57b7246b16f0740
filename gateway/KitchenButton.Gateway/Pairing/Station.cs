namespace KitchenButton.Gateway.Pairing;

/// <summary>A kitchen station where orders wait, e.g. "pizza".</summary>
public sealed record Station(string StationId, string Name, int TimeoutSeconds);
