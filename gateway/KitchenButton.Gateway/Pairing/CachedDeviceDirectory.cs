using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Pairing;

/// <summary>
/// Keeps found devices and stations for a short, fixed time, so a warm press handler reads neither on
/// most presses. The price is explicit: a device disabled, moved or re-keyed, or a station removed,
/// reaches a warm execution environment at most <see cref="MaxAge"/> later (docs/operations.md).
/// Unknown things and stations are never cached: pairing one takes effect at once. Writes through
/// this directory drop their entry.
/// </summary>
public sealed class CachedDeviceDirectory : IDeviceDirectory
{
    /// <summary>How stale a cached device or station may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly IDeviceDirectory _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (PairedDevice Device, DateTimeOffset Until)> _devices = new();
    private readonly ConcurrentDictionary<string, (Station Station, DateTimeOffset Until)> _stations = new();

    public CachedDeviceDirectory(IDeviceDirectory inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
    }

    public async Task<PairedDevice?> FindDeviceAsync(string thing, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_devices.TryGetValue(thing, out var cached) && cached.Until > now)
        {
            return cached.Device;
        }

        PairedDevice? device = await _inner.FindDeviceAsync(thing, cancellationToken);
        if (device != null)
        {
            _devices[thing] = (device, now + MaxAge);
        }
        else
        {
            _devices.TryRemove(thing, out _);
        }

        return device;
    }

    public async Task<Station?> FindStationAsync(string stationId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_stations.TryGetValue(stationId, out var cached) && cached.Until > now)
        {
            return cached.Station;
        }

        Station? station = await _inner.FindStationAsync(stationId, cancellationToken);
        if (station != null)
        {
            _stations[stationId] = (station, now + MaxAge);
        }
        else
        {
            _stations.TryRemove(stationId, out _);
        }

        return station;
    }

    public Task<IReadOnlyList<string>> ListThingsAtStationAsync(string stationId, CancellationToken cancellationToken) =>
        _inner.ListThingsAtStationAsync(stationId, cancellationToken);

    public async Task PutDeviceAsync(PairedDevice device, CancellationToken cancellationToken)
    {
        await _inner.PutDeviceAsync(device, cancellationToken);
        _devices.TryRemove(device.Thing, out _);
    }

    public async Task PutStationAsync(Station station, CancellationToken cancellationToken)
    {
        await _inner.PutStationAsync(station, cancellationToken);
        _stations.TryRemove(station.StationId, out _);
    }
}
