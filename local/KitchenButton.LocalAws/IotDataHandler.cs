using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>One recorded IoT publish.</summary>
public sealed record PublishCall(string Topic, int Qos, bool Retain, string Payload);

/// <summary>
/// The IoT data plane's Publish (restJson1: POST /topics/{topic}?qos=&amp;retain=): recorded, kept when
/// retained, handed to the local broker when there is one, checked against iot:Publish and
/// iot:RetainPublish as IAM checks it.
/// </summary>
public sealed class IotDataHandler
{
    private readonly ConcurrentQueue<PublishCall> _publishes = new();
    private readonly ConcurrentDictionary<string, string> _retained = new();

    public IReadOnlyList<PublishCall> Publishes => _publishes.ToArray();

    /// <summary>Where publishes go on (the local stack's MQTT broker); only recorded when null.</summary>
    public Func<string, byte[], bool, Task>? PublishTo { get; set; }

    public string? Retained(string topic) => _retained.TryGetValue(topic, out string? p) ? p : null;

    /// <summary>The faults publishes meet (any fault answers 500); none unless a test schedules them.</summary>
    public IFaultSource Faults { get; set; } = NoFaults.Instance;

    public static bool Handles(HttpListenerRequest request) =>
        request.HttpMethod == "POST" && request.RawUrl!.StartsWith("/topics/", StringComparison.Ordinal);

    /// <param name="admit">Records the call as IAM judges it; false when it was refused (and answered).</param>
    public async Task HandleAsync(HttpListenerContext context, byte[] body, Func<HttpListenerContext, string, string, Task<bool>> admit)
    {
        if (!AwsWire.IsSigned(context.Request, "iotdata"))
        {
            await AwsWire.AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "ForbiddenException");
            return;
        }

        if (Faults.Next() != null)
        {
            await AwsWire.AnswerAsync(context, 500, "{\"message\":\"injected\"}", "InternalFailureException");
            return;
        }

        // The topic is one percent-encoded path label.
        string raw = context.Request.RawUrl!;
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string topic = Uri.UnescapeDataString(raw["/topics/".Length..(query < 0 ? raw.Length : query)]);
        string qs = query < 0 ? string.Empty : raw[(query + 1)..];
        var parameters = qs.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        int qos = parameters.TryGetValue("qos", out string? q) ? int.Parse(q, System.Globalization.CultureInfo.InvariantCulture) : 0;
        bool retain = parameters.TryGetValue("retain", out string? r) && r == "true";
        string payload = Encoding.UTF8.GetString(body);
        string topicArn = AwsCallLog.Arn("iot", "topic/" + topic);
        if (!await admit(context, "iot:Publish", topicArn))
        {
            return;
        }

        // AWS IoT checks a retained publish against iot:RetainPublish as well.
        if (retain && !await admit(context, "iot:RetainPublish", topicArn))
        {
            return;
        }

        _publishes.Enqueue(new PublishCall(topic, qos, retain, payload));
        if (PublishTo is { } broker)
        {
            // The local stack's broker stands in for IoT's message broker.
            await broker(topic, body, retain);
        }

        if (retain && body.Length == 0)
        {
            // An empty retained publish deletes the topic's retained message.
            _retained.TryRemove(topic, out _);
        }
        else if (retain)
        {
            _retained[topic] = payload;
        }

        await AwsWire.AnswerAsync(context, 200, "{}", null);
    }
}
