using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Pairing;

/// <summary>Which devices exist, where they are paired, and which stations exist.</summary>
public interface IDeviceDirectory
{
    Task<PairedDevice?> FindDeviceAsync(string thing, CancellationToken cancellationToken);

    Task<Station?> FindStationAsync(string stationId, CancellationToken cancellationToken);

    /// <summary>Things of the enabled devices paired to a station.</summary>
    Task<IReadOnlyList<string>> ListThingsAtStationAsync(string stationId, CancellationToken cancellationToken);

    Task PutDeviceAsync(PairedDevice device, CancellationToken cancellationToken);

    Task PutStationAsync(Station station, CancellationToken cancellationToken);
}
