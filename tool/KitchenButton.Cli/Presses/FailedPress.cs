using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using KitchenButton.Cli.Failures;

namespace KitchenButton.Cli.Presses;

/// <summary>Where a failed press was found.</summary>
public enum FailureSource
{
    /// <summary>The press handler's on-failure destination: Lambda gave up after its retries.</summary>
    PressFailures,

    /// <summary>The press rule's error action: IoT could not invoke the press handler at all.</summary>
    RuleErrors,
}

/// <summary>
/// One failed press, decoded from its queue message: which button, which press, why it failed, and
/// the press handler's event to send again. Decoding never throws: a message that is not what these
/// queues carry is kept with <see cref="Problem"/> saying why, and cannot be replayed.
/// </summary>
public sealed record FailedPress(FailureSource Source, string MessageId, string ReceiptHandle, string? Thing, string? PressId, string? Kind, string Why, byte[]? Event, string? Problem) : IFailedEvent
{
    /// <summary>
    /// Decodes a message body. <paramref name="sentAt"/> is when the queue got it (SQS's SentTimestamp):
    /// a rule error carries the device's original payload only, so the replayed event takes this as
    /// the broker's receivedAt, as close as anything left records.
    /// </summary>
    public static FailedPress Decode(FailureSource source, string messageId, string receiptHandle, string body, DateTimeOffset sentAt)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Unreadable(source, messageId, receiptHandle, "the message is not a JSON object");
            }

            return LambdaFailureRecord.TryRead(root, out JsonElement request, out string why)
                ? FromDestinationRecord(source, messageId, receiptHandle, request, why)
                : root.TryGetProperty("base64OriginalPayload", out JsonElement original) && original.ValueKind == JsonValueKind.String
                    ? FromRuleError(source, messageId, receiptHandle, root, original.GetString()!, sentAt)
                    : Unreadable(source, messageId, receiptHandle, "neither a Lambda destination record nor an IoT rule error");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return Unreadable(source, messageId, receiptHandle, "unreadable message: " + e.Message);
        }
    }

    /// <summary>Lambda's on-failure record (<see cref="LambdaFailureRecord"/>): the press handler's event as it came.</summary>
    private static FailedPress FromDestinationRecord(FailureSource source, string messageId, string receiptHandle, JsonElement request, string why)
    {
        byte[] eventBytes = Encoding.UTF8.GetBytes(request.GetRawText());
        return new FailedPress(source, messageId, receiptHandle, Text(request, "thing") ?? Text(request, "topicThing"), PressIdOf(request), Text(request, "kind"), why, eventBytes, null);
    }

    /// <summary>An IoT rule error: the original payload plus what the rule's SELECT adds (topicThing, clientId, receivedAt).</summary>
    private static FailedPress FromRuleError(FailureSource source, string messageId, string receiptHandle, JsonElement root, string base64, DateTimeOffset sentAt)
    {
        string topic = Text(root, "topic") ?? string.Empty;
        string[] levels = topic.Split('/');
        string? topicThing = levels.Length == 4 && levels[0] == "dt" && levels[1] == "kitchenbutton" && levels[3] == "press" ? levels[2] : null;
        string? why = null;
        if (root.TryGetProperty("failures", out JsonElement failures) && failures.ValueKind == JsonValueKind.Array && failures.GetArrayLength() > 0)
        {
            JsonElement first = failures[0];
            why = first.ValueKind == JsonValueKind.Object ? Text(first, "errorMessage") ?? Text(first, "failedAction") : null;
        }

        why = "IoT could not invoke the press handler" + (why == null ? string.Empty : " - " + why);
        using JsonDocument payload = JsonDocument.Parse(Convert.FromBase64String(base64));
        JsonElement press = payload.RootElement;
        if (press.ValueKind != JsonValueKind.Object || topicThing == null)
        {
            return new FailedPress(source, messageId, receiptHandle, topicThing, null, null, why, null, "not a press (topic '" + topic + "')");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (JsonProperty field in press.EnumerateObject())
            {
                if (field.Name is not ("topicThing" or "clientId" or "receivedAt"))
                {
                    field.WriteTo(json);
                }
            }

            json.WriteString("topicThing", topicThing);
            json.WriteString("clientId", Text(root, "clientId") ?? topicThing);
            json.WriteNumber("receivedAt", sentAt.ToUnixTimeMilliseconds());
            json.WriteEndObject();
        }

        return new FailedPress(source, messageId, receiptHandle, Text(press, "thing") ?? topicThing, PressIdOf(press), Text(press, "kind"), why, buffer.ToArray(), null);
    }

    private static FailedPress Unreadable(FailureSource source, string messageId, string receiptHandle, string problem) =>
        new(source, messageId, receiptHandle, null, null, null, problem, null, problem);

    /// <summary>thing#boot#seq, the press id the gateway's ledger uses (Press.Id).</summary>
    private static string? PressIdOf(JsonElement press)
    {
        string? thing = Text(press, "thing");
        return thing != null && press.TryGetProperty("boot", out JsonElement boot) && boot.TryGetUInt32(out uint b)
            && press.TryGetProperty("seq", out JsonElement seq) && seq.TryGetUInt32(out uint s)
            ? thing + "#" + b.ToString(CultureInfo.InvariantCulture) + "#" + s.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
