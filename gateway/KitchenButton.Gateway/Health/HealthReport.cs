using System;

namespace KitchenButton.Gateway.Health;

/// <summary>A button's health report (docs/protocol.md, status message), with the thing the broker vouches for.</summary>
public sealed record HealthReport(
    string Thing,
    string Firmware,
    uint Boot,
    uint UptimeSeconds,
    uint FreeMemoryBytes,
    int WifiRssi,
    uint QueuedPresses,
    string LastError,
    DateTimeOffset ReceivedAt);
