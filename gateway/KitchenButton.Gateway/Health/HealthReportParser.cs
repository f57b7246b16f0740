using System;
using System.Text.Json;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Health;

/// <summary>
/// Parses the status rule's event. Status reports are informational and unsigned, so unknown fields
/// are ignored, but every known field must have its type and range; the thing comes from the topic.
/// </summary>
public static class HealthReportParser
{
    public const int MaxEventBytes = 1024;

    /// <summary>Returns the report, or null with <paramref name="problem"/> naming what was wrong.</summary>
    public static HealthReport? Parse(ReadOnlySpan<byte> utf8, out string? problem)
    {
        problem = null;
        if (utf8.Length > MaxEventBytes)
        {
            problem = "event of " + utf8.Length + " bytes exceeds " + MaxEventBytes;
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(utf8.ToArray());
            JsonElement e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                problem = "event is not a JSON object";
                return null;
            }

            string? thing = Text(e, "topicThing", 64, ref problem);
            if (problem == null && !ThingNames.IsValid(thing))
            {
                problem = "'topicThing' must match [A-Za-z0-9_-]{1,64}";
            }

            long version = Number(e, "v", 1, 1, ref problem);
            string firmware = Text(e, "fw", 32, ref problem) ?? string.Empty;
            long boot = Number(e, "boot", 0, uint.MaxValue, ref problem);
            long uptime = Number(e, "uptime", 0, uint.MaxValue, ref problem);
            long freeMem = Number(e, "freeMem", 0, uint.MaxValue, ref problem);
            long rssi = Number(e, "rssi", -127, 0, ref problem);
            long queued = Number(e, "queued", 0, uint.MaxValue, ref problem);
            long receivedAt = Number(e, "receivedAt", 0, Presses.PressEventParser.MaxUnixMilliseconds, ref problem);
            string lastError = e.TryGetProperty("lastError", out _) ? Text(e, "lastError", 128, ref problem) ?? string.Empty : string.Empty;
            if (problem != null || version != 1)
            {
                problem ??= "unsupported version";
                return null;
            }

            return new HealthReport(thing!, firmware, (uint)boot, (uint)uptime, (uint)freeMem, (int)rssi, (uint)queued, lastError,
                DateTimeOffset.FromUnixTimeMilliseconds(receivedAt));
        }
        catch (JsonException)
        {
            problem = "invalid JSON";
            return null;
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString throws this for an escaped lone surrogate.
            problem = "a string is not valid UTF-16 text";
            return null;
        }
    }

    private static string? Text(JsonElement e, string name, int maxLength, ref string? problem)
    {
        if (problem != null)
        {
            return null;
        }

        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.String || v.GetString()!.Length > maxLength)
        {
            problem = "'" + name + "' must be a string of at most " + maxLength + " characters";
            return null;
        }

        return v.GetString();
    }

    private static long Number(JsonElement e, string name, long min, long max, ref string? problem)
    {
        if (problem != null)
        {
            return 0;
        }

        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n) || n < min || n > max)
        {
            problem = "'" + name + "' must be a whole number from " + min + " to " + max;
            return 0;
        }

        return n;
    }
}
