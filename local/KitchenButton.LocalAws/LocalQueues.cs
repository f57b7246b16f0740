using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// SQS in its JSON protocol (X-Amz-Target AmazonSQS.*), the operations the stack and the operators'
/// tool use: CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage (visibility timeout, SentTimestamp),
/// ChangeMessageVisibility and DeleteMessage, with the MD5 digests the SDK checks and the service's error codes.
/// </summary>
public sealed class LocalQueues
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<QueuedMessage>> _queues = new(StringComparer.Ordinal);

    /// <summary>Creates a queue (no-op when it exists); returns its URL on <paramref name="endpoint"/>.</summary>
    public string Create(string name, Uri endpoint)
    {
        lock (_lock)
        {
            _queues.TryAdd(name, new List<QueuedMessage>());
        }

        return UrlOf(name, endpoint);
    }

    /// <summary>Puts a message straight on a queue, as an AWS service delivering to it would.</summary>
    public string Send(string queue, string body, DateTimeOffset? sentAt = null)
    {
        var message = new QueuedMessage(Guid.NewGuid().ToString(), body, (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds());
        lock (_lock)
        {
            if (!_queues.TryGetValue(queue, out List<QueuedMessage>? messages))
            {
                throw new InvalidOperationException("no queue " + queue);
            }

            messages.Add(message);
        }

        return message.Id;
    }

    /// <summary>Empties a queue.</summary>
    public void Clear(string queue)
    {
        lock (_lock)
        {
            if (_queues.TryGetValue(queue, out List<QueuedMessage>? messages))
            {
                messages.Clear();
            }
        }
    }

    /// <summary>The bodies on a queue, visible or not.</summary>
    public IReadOnlyList<string> Bodies(string queue)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(queue, out List<QueuedMessage>? messages) ? messages.Select(m => m.Body).ToArray() : Array.Empty<string>();
        }
    }

    internal Task HandleAsync(HttpListenerContext context, string operation, byte[] body, Uri endpoint)
    {
        using JsonDocument doc = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        JsonElement root = doc.RootElement;
        lock (_lock)
        {
            switch (operation)
            {
                case "CreateQueue":
                    string created = Text(root, "QueueName") ?? string.Empty;
                    _queues.TryAdd(created, new List<QueuedMessage>());
                    return Ok(context, Json(w => w.WriteString("QueueUrl", UrlOf(created, endpoint))));
                case "GetQueueUrl":
                    string name = Text(root, "QueueName") ?? string.Empty;
                    return _queues.ContainsKey(name) ? Ok(context, Json(w => w.WriteString("QueueUrl", UrlOf(name, endpoint)))) : NoQueue(context);
                case "SendMessage":
                    if (Queue(root) is not { } target)
                    {
                        return NoQueue(context);
                    }

                    var message = new QueuedMessage(Guid.NewGuid().ToString(), Text(root, "MessageBody") ?? string.Empty, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    target.Add(message);
                    return Ok(context, Json(w =>
                    {
                        w.WriteString("MessageId", message.Id);
                        w.WriteString("MD5OfMessageBody", Md5(message.Body));
                    }));
                case "ReceiveMessage":
                    return Queue(root) is { } source ? Receive(context, root, source) : NoQueue(context);
                case "ChangeMessageVisibility":
                    if (Queue(root) is not { } visible)
                    {
                        return NoQueue(context);
                    }

                    string handle = Text(root, "ReceiptHandle") ?? string.Empty;
                    int seconds = root.TryGetProperty("VisibilityTimeout", out JsonElement v) && v.TryGetInt32(out int t) ? t : 0;
                    QueuedMessage? held = visible.Find(m => m.Receipt == handle);
                    if (held == null)
                    {
                        return Error(context, "ReceiptHandleIsInvalid", "The input receipt handle is invalid.");
                    }

                    held.InvisibleUntil = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (seconds * 1000L);
                    return Ok(context, "{}");
                case "DeleteMessage":
                    if (Queue(root) is not { } queue)
                    {
                        return NoQueue(context);
                    }

                    string receipt = Text(root, "ReceiptHandle") ?? string.Empty;
                    int removed = queue.RemoveAll(m => m.Receipt == receipt);
                    return removed > 0 ? Ok(context, "{}") : Error(context, "ReceiptHandleIsInvalid", "The input receipt handle is invalid.");
                default:
                    return Error(context, "UnsupportedOperation", operation + " is not implemented by the local stack");
            }
        }
    }

    private static Task Receive(HttpListenerContext context, JsonElement root, List<QueuedMessage> queue)
    {
        int max = root.TryGetProperty("MaxNumberOfMessages", out JsonElement m) && m.TryGetInt32(out int n) ? Math.Clamp(n, 1, 10) : 1;
        int hide = root.TryGetProperty("VisibilityTimeout", out JsonElement v) && v.TryGetInt32(out int seconds) ? seconds : 30;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        List<QueuedMessage> taken = queue.Where(q => q.InvisibleUntil <= now).Take(max).ToList();
        foreach (QueuedMessage message in taken)
        {
            message.InvisibleUntil = now + (hide * 1000L);
            message.Receipt = Guid.NewGuid().ToString("N");
            message.Receives++;
        }

        return Ok(context, Json(w =>
        {
            w.WriteStartArray("Messages");
            foreach (QueuedMessage message in taken)
            {
                w.WriteStartObject();
                w.WriteString("MessageId", message.Id);
                w.WriteString("ReceiptHandle", message.Receipt);
                w.WriteString("MD5OfBody", Md5(message.Body));
                w.WriteString("Body", message.Body);
                w.WriteStartObject("Attributes");
                w.WriteString("SentTimestamp", message.SentAt.ToString(CultureInfo.InvariantCulture));
                w.WriteString("ApproximateReceiveCount", message.Receives.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    /// <summary>
    /// The ARN of the queue a request names, by its QueueUrl or (CreateQueue, GetQueueUrl) its
    /// QueueName; "*" for a body that names none.
    /// </summary>
    internal static string ResourceOf(byte[] body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && (NameOf(doc.RootElement) ?? Text(doc.RootElement, "QueueName")) is { Length: > 0 } name
                ? AwsCallLog.Arn("sqs", name)
                : "*";
        }
        catch (JsonException)
        {
            return "*";
        }
    }

    private List<QueuedMessage>? Queue(JsonElement root) =>
        _queues.TryGetValue(NameOf(root) ?? string.Empty, out List<QueuedMessage>? queue) ? queue : null;

    /// <summary>The queue's name, the last segment of its QueueUrl.</summary>
    private static string? NameOf(JsonElement root) => Text(root, "QueueUrl") is { } url ? url[(url.LastIndexOf('/') + 1)..] : null;

    private static string UrlOf(string name, Uri endpoint) => new Uri(endpoint, "/" + AwsCallLog.Account + "/" + name).ToString();

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    private static string Json(Action<Utf8JsonWriter> fields) => Encoding.UTF8.GetString(KitchenButton.Gateway.Aws.JsonBody.Write(fields));

    private static Task Ok(HttpListenerContext context, string json) => AwsWire.AnswerAsync(context, 200, json, null);

    private static Task NoQueue(HttpListenerContext context) =>
        AwsWire.AnswerAsync(context, 400, "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}", null);

    private static Task Error(HttpListenerContext context, string code, string message) =>
        AwsWire.AnswerAsync(context, 400, "{\"__type\":\"com.amazonaws.sqs#" + code + "\",\"message\":\"" + message + "\"}", null);

    private sealed class QueuedMessage
    {
        public QueuedMessage(string id, string body, long sentAt)
        {
            Id = id;
            Body = body;
            SentAt = sentAt;
        }

        public string Id { get; }

        public string Body { get; }

        public long SentAt { get; }

        public long InvisibleUntil { get; set; }

        public string Receipt { get; set; } = string.Empty;

        public int Receives { get; set; }
    }
}
