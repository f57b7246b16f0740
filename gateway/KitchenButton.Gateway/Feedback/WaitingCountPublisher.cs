using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Pairing;

namespace KitchenButton.Gateway.Feedback;

/// <summary>
/// Tells buttons how many orders wait at their station now: counted as the press handler counts
/// them, published as a count-only state message (retained, so a button that connects later still
/// gets it). The notifier uses it for every station a change touched; the operators'
/// tool for a station whose buttons missed changes and for a button paired, moved or enabled.
/// </summary>
public sealed class WaitingCountPublisher
{
    private readonly ITicketStore _pending;
    private readonly IDeviceDirectory _directory;
    private readonly IDeviceStatePublisher _publisher;
    private readonly TimeProvider _time;

    public WaitingCountPublisher(ITicketStore pending, IDeviceDirectory directory, IDeviceStatePublisher publisher, TimeProvider time)
    {
        _pending = pending;
        _directory = directory;
        _publisher = publisher;
        _time = time;
    }

    /// <summary>Publishes the station's count to every enabled button paired there; the first failed publish throws.</summary>
    public async Task<CountTold> PublishAsync(string stationId, CancellationToken cancellationToken)
    {
        int waiting = await _pending.CountAsync(stationId, _time.GetUtcNow(), cancellationToken);
        string message = StateMessage.CountOnly(waiting);
        IReadOnlyList<string> things = await _directory.ListThingsAtStationAsync(stationId, cancellationToken);
        foreach (string thing in things)
        {
            await _publisher.PublishStateAsync(thing, message, cancellationToken);
        }

        return new CountTold(waiting, things.Count);
    }

    /// <summary>Publishes the station's count to one button, whether or not it is enabled; returns the count.</summary>
    public async Task<int> PublishToAsync(string stationId, string thing, CancellationToken cancellationToken)
    {
        int waiting = await _pending.CountAsync(stationId, _time.GetUtcNow(), cancellationToken);
        await _publisher.PublishStateAsync(thing, StateMessage.CountOnly(waiting), cancellationToken);
        return waiting;
    }
}

/// <summary>What <see cref="WaitingCountPublisher.PublishAsync"/> told a station's buttons.</summary>
/// <param name="Waiting">Orders waiting at the station.</param>
/// <param name="Buttons">Buttons the count was published to.</param>
public readonly record struct CountTold(int Waiting, int Buttons);
