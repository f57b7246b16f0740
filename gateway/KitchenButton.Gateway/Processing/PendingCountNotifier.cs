using System;
using System.Collections.Generic;
using System.Text.Json;
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
/// there. Claims (MODIFY records) do not change the count and are ignored.
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
        var stations = new SortedSet<string>(StringComparer.Ordinal);
        using (JsonDocument doc = JsonDocument.Parse(streamEventJson))
        {
            if (!doc.RootElement.TryGetProperty("Records", out JsonElement records) || records.ValueKind != JsonValueKind.Array)
            {
                GatewayLog.StreamEventWithoutRecords(_telemetry.Logger);
                return 0;
            }

            foreach (JsonElement record in records.EnumerateArray())
            {
                string? name = record.TryGetProperty("eventName", out JsonElement n) ? n.GetString() : null;
                if (name is not ("INSERT" or "REMOVE"))
                {
                    continue;
                }

                if (record.TryGetProperty("dynamodb", out JsonElement ddb) && ddb.TryGetProperty("Keys", out JsonElement keys)
                    && keys.TryGetProperty(Attributes.StationId, out JsonElement station) && station.TryGetProperty("S", out JsonElement s)
                    && s.GetString() is { Length: > 0 } stationId)
                {
                    stations.Add(stationId);
                }
            }
        }

        int published = 0;
        foreach (string stationId in stations)
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
