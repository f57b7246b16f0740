using System;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Reads the pending-task table's stream (keys only: no task token passes through it) and, for every
/// station where an order started or stopped waiting, publishes the new count to each device paired
/// there. Claims (MODIFY records) do not change the count and are ignored; a record it cannot read is
/// logged, counted and skipped (<see cref="WaitingCountChanges"/>). A failed call throws, so the
/// stream delivers the batch again (bisected, then to the notifier's failure queue).
/// </summary>
public sealed class WaitingCountNotifier
{
    private readonly WaitingCountPublisher _counts;
    private readonly GatewayTelemetry _telemetry;

    public WaitingCountNotifier(WaitingCountPublisher counts, GatewayTelemetry telemetry)
    {
        _counts = counts;
        _telemetry = telemetry;
    }

    /// <summary>Handles one batch of stream records; returns how many state messages were published.</summary>
    public async Task<int> HandleAsync(ReadOnlyMemory<byte> streamEventJson, CancellationToken cancellationToken)
    {
        WaitingCountChanges changes = WaitingCountChanges.Parse(streamEventJson.Span);
        if (changes.Unreadable > 0)
        {
            _telemetry.Metric(MetricNames.StreamRecordsUnreadable, changes.Unreadable, "Count");
            GatewayLog.StreamRecordsSkipped(_telemetry.Logger, changes.Unreadable, changes.Problem);
        }

        int published = 0;
        foreach (string stationId in changes.Stations)
        {
            // A failure is retried by the stream: the whole batch is delivered again.
            CountTold told = await _counts.PublishAsync(stationId, cancellationToken);
            published += told.Buttons;
            GatewayLog.WaitingCountPublished(_telemetry.Logger, stationId, told.Waiting);
        }

        return published;
    }
}
