using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// An order execution that ended, read from EventBridge's "Step Functions Execution Status Change"
/// event: its ARN, its status, and the stations its order could have parked tickets at (the order's
/// <c>station</c> and every item's <c>station</c>, as the workflow reads them).
/// </summary>
public sealed record EndedExecution(string ExecutionArn, string Status, IReadOnlyList<string> Stations)
{
    private static readonly Regex StationId = new("^[A-Za-z0-9_-]{1,64}\\z", RegexOptions.CultureInvariant);

    /// <summary>Reads the event; null with a reason for anything else. Never throws on input.</summary>
    public static EndedExecution? Parse(ReadOnlySpan<byte> eventJson, out string? problem)
    {
        problem = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(eventJson.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("detail", out JsonElement detail) || detail.ValueKind != JsonValueKind.Object)
            {
                problem = "not an EventBridge event with a detail object";
                return null;
            }

            string? arn = Text(detail, "executionArn");
            string? status = Text(detail, "status");
            if (arn == null || !arn.StartsWith("arn:", StringComparison.Ordinal) || status == null)
            {
                problem = "detail has no executionArn or status";
                return null;
            }

            string? input = Text(detail, "input");
            if (input == null)
            {
                // Step Functions leaves the input out of the event when it is too large.
                problem = "the event carries no execution input, so its stations are unknown";
                return null;
            }

            return new EndedExecution(arn, status, StationsOf(input));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            problem = "unreadable event: " + e.GetType().Name;
            return null;
        }
    }

    private static List<string> StationsOf(string input)
    {
        var stations = new List<string>();
        using JsonDocument order = JsonDocument.Parse(input);
        if (order.RootElement.ValueKind != JsonValueKind.Object)
        {
            return stations;
        }

        Add(stations, Text(order.RootElement, "station"));
        if (order.RootElement.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    Add(stations, Text(item, "station"));
                }
            }
        }

        return stations;
    }

    private static void Add(List<string> stations, string? station)
    {
        if (station != null && StationId.IsMatch(station) && !stations.Contains(station))
        {
            stations.Add(station);
        }
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
