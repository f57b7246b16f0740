namespace KitchenButton.Gateway.Pairing;

/// <summary>A button paired to a station. The secret verifies its press signatures; never logged.</summary>
public sealed record PairedDevice(string Thing, string StationId, byte[] Secret, bool Enabled);
