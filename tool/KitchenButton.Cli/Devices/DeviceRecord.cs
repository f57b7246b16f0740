using System;

namespace KitchenButton.Cli.Devices;

/// <summary>A paired button's item: pairing fields and, once it reported, its last health report.</summary>
public sealed record DeviceRecord(string Thing, string StationId, bool Enabled, string? PairedAt)
{
    public DateTimeOffset? LastSeen { get; init; }

    public string? Firmware { get; init; }

    public long? WifiRssi { get; init; }

    public long? FreeMemory { get; init; }

    public long? QueuedPresses { get; init; }

    public long? UptimeSeconds { get; init; }

    public string? LastError { get; init; }
}
