using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Health;

/// <summary>Where buttons' last health reports live: on their device records.</summary>
public interface IDeviceHealthStore
{
    /// <summary>Stores the report on the device's record; false when no such device is paired.</summary>
    Task<bool> RecordAsync(DeviceStatusReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Enabled buttons last heard of before <paramref name="cutoff"/> (a button that never reported
    /// counts from its pairing).
    /// </summary>
    Task<IReadOnlyList<string>> ListSilentAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
