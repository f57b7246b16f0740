namespace KitchenButton.Gateway.Storage;

/// <summary>The names of the gateway's DynamoDB tables (see docs/data-model.md).</summary>
public sealed record GatewayTables(string Tickets, string Devices, string Stations, string PressLedger)
{
    public static GatewayTables WithPrefix(string prefix) =>
        new(prefix + "pending-tasks", prefix + "devices", prefix + "stations", prefix + "press-ledger");
}
