using System;
using System.Collections.Generic;
using System.Text.Json;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// The stations whose pending count one batch of the pending-task table's stream (keys only) changed:
/// an INSERT (an order parked) or a REMOVE (an order answered, withdrawn or expired) names its
/// station; a MODIFY (a claim) changes no count. A record it cannot read is counted with the first
/// reason and skipped, so the rest of the batch still updates its buttons: delivering the batch
/// again would not make it readable, and would only hold up the stream behind it.
/// https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (the event),
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html (a record).
/// </summary>
public sealed class WaitingCountChanges
{
    private WaitingCountChanges(IReadOnlyList<string> stations, int unreadable, string? problem)
    {
        Stations = stations;
        Unreadable = unreadable;
        Problem = problem;
    }

    /// <summary>The stations to tell, each once, in ordinal order.</summary>
    public IReadOnlyList<string> Stations { get; }

    /// <summary>Records skipped because they could not be read (the whole event counts as one when it is no batch at all).</summary>
    public int Unreadable { get; }

    /// <summary>Why the first unreadable record was skipped; null when every record was read.</summary>
    public string? Problem { get; }

    /// <summary>Reads the batch. Never throws on input.</summary>
    public static WaitingCountChanges Parse(ReadOnlySpan<byte> streamEventJson)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(streamEventJson.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("Records", out JsonElement records) || records.ValueKind != JsonValueKind.Array)
            {
                return NoBatch("not a stream event with a Records array");
            }

            var stations = new SortedSet<string>(StringComparer.Ordinal);
            int unreadable = 0;
            string? first = null;
            foreach (JsonElement record in records.EnumerateArray())
            {
                string? problem = Read(record, stations);
                if (problem != null)
                {
                    unreadable++;
                    first ??= problem;
                }
            }

            return new WaitingCountChanges(new List<string>(stations), unreadable, first);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return NoBatch("unreadable event: " + e.GetType().Name);
        }
    }

    /// <summary>Adds the record's station when it changes a count; the reason when it cannot be read.</summary>
    private static string? Read(JsonElement record, SortedSet<string> stations)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return "a record is not an object";
        }

        string? name = Text(record, "eventName");
        if (name is not ("INSERT" or "MODIFY" or "REMOVE"))
        {
            return "a record's eventName is not INSERT, MODIFY or REMOVE";
        }

        if (name == "MODIFY")
        {
            return null;
        }

        if (!record.TryGetProperty("dynamodb", out JsonElement change) || change.ValueKind != JsonValueKind.Object
            || !change.TryGetProperty("Keys", out JsonElement keys) || keys.ValueKind != JsonValueKind.Object
            || !keys.TryGetProperty(Attributes.StationId, out JsonElement station) || station.ValueKind != JsonValueKind.Object
            || Text(station, "S") is not { Length: > 0 } stationId)
        {
            return "an " + name + " record has no " + Attributes.StationId + " key";
        }

        stations.Add(stationId);
        return null;
    }

    /// <summary>An event that is no batch at all: one unreadable, nothing to tell.</summary>
    private static WaitingCountChanges NoBatch(string problem) => new(Array.Empty<string>(), 1, problem);

    /// <summary>A string member, or null (a lone surrogate in it reads as null rather than throwing).</summary>
    private static string? Text(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
