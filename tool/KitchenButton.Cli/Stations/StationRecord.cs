namespace KitchenButton.Cli.Stations;

/// <summary>A station as operators see it: its item, the buttons on it and the orders waiting there.</summary>
public sealed record StationRecord(string StationId, string Name, int TimeoutSeconds, int Buttons, int Waiting);
