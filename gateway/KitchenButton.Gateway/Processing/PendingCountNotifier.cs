using System;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Reads the pending-task table's stream (keys only: no task token passes through it) and, for every
/// station where an order started or stopped waiting, publishes the new count to each device paired
/// there. Claims (MODIFY records) do not change the count and are ignored; a record it cannot read is
/// logged, counted and skipped (<see cref="PendingCountChanges"/>). A failed call throws, so the
/// stream delivers the batch again (bisected, then to the notifier's failure queue).
/// </summary>
public sealed class PendingCountNotifier
{
    private readonly IPendingTaskStore _pending;
    private readonly IDeviceDirectory _directory;
    private readonly IDeviceStatePublisher _publisher;
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _time;

    public PendingCountNotifier(IPendingTaskStore pending, IDeviceDirectory directory, IDeviceStatePublisher publisher, GatewayTelemetry telemetry, TimeProvider time)
    {
        _pending = pending;
        _directory = directory;
        _publisher = publisher;
        _telemetry = telemetry;
        _time = time;
    }

    /// <summary>Handles one batch of stream records; returns how many state messages were published.</summary>
    public async Task<int> HandleAsync(ReadOnlyMemory<byte> streamEventJson, CancellationToken cancellationToken)
    {
        PendingCountChanges changes = PendingCountChanges.Parse(streamEventJson.Span);
        if (changes.Unreadable > 0)
        {
            _telemetry.Metric(MetricNames.StreamRecordsUnreadable, changes.Unreadable, "Count");
            GatewayLog.StreamRecordsSkipped(_telemetry.Logger, changes.Unreadable, changes.Problem);
        }

        int published = 0;
        foreach (string stationId in changes.Stations)
        {
            int count = await _pending.CountAsync(stationId, _time.GetUtcNow(), cancellationToken);
            string message = StateMessage.CountOnly(count);
            foreach (string thing in await _directory.ListThingsAtStationAsync(stationId, cancellationToken))
            {
                // A failure is retried by the stream: the whole batch is delivered again.
                await _publisher.PublishStateAsync(thing, message, cancellationToken);
                published++;
            }

            GatewayLog.PendingCountPublished(_telemetry.Logger, stationId, count);
        }

        return published;
    }
}
