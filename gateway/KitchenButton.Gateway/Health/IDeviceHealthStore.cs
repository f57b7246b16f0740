using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Health;

/// <summary>Where buttons' last health reports live: on their device records.</summary>
public interface IDeviceHealthStore
{
    /// <summary>
    /// Stores the report on the device's record unless the record holds one IoT received later:
    /// Lambda delivers asynchronous events in no fixed order, and a retry or a backlog can bring one
    /// minutes or hours late.
    /// </summary>
    Task<HealthRecordResult> RecordAsync(HealthReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Enabled buttons last heard of before <paramref name="cutoff"/> (a button that never reported
    /// counts from its pairing).
    /// </summary>
    Task<IReadOnlyList<string>> ListSilentAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>What became of a health report.</summary>
public enum HealthRecordResult
{
    /// <summary>On the device's record now.</summary>
    Recorded,

    /// <summary>No such device is paired; nothing was written.</summary>
    UnknownDevice,

    /// <summary>The record already holds a report IoT received later; it stays.</summary>
    Superseded,
}
