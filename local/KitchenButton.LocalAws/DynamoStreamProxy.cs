using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// A thin DynamoDB proxy in front of dynalite, which has no streams: every write to the watched table
/// that changed an item becomes the record its stream would carry (INSERT, MODIFY, REMOVE with the
/// item's keys), handed on in order, batched as Lambda's event source mapping batches them.
/// PutItem and DeleteItem ask dynalite for the old item (ReturnValues ALL_OLD, taken back out of the
/// answer when the caller did not ask) to tell INSERT from MODIFY and a delete that removed nothing;
/// UpdateItem counts as MODIFY. Everything else passes through untouched.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.Lambda.html
/// </summary>
public sealed class DynamoStreamProxy : IAsyncDisposable
{
    private static readonly string[] ForwardedHeaders = { "X-Amz-Target", "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "amz-sdk-invocation-id", "amz-sdk-request" };

    private readonly LoopbackListener _listener;
    private readonly HttpClient _http = new();
    private readonly Uri _target;
    private readonly string _table;
    private readonly string[] _keys;
    private readonly Channel<string> _records = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _deliver;
    private readonly AwsCallLog? _calls;

    /// <param name="onRecords">Gets each batch as the stream event a function receives ({"Records":[...]}).</param>
    /// <param name="port">The port to listen on; a free one unless given.</param>
    /// <param name="calls">Where every call that passes is recorded as IAM would judge it; nowhere unless given.</param>
    public DynamoStreamProxy(Uri dynamo, string table, string[] keyAttributes, Func<string, Task> onRecords, int? port = null, AwsCallLog? calls = null)
    {
        _calls = calls;
        _target = dynamo;
        _table = table;
        _keys = keyAttributes;
        _listener = new LoopbackListener(HandleAsync, port);
        _deliver = Task.Run(() => DeliverAsync(onRecords));
    }

    public Uri Endpoint => new("http://127.0.0.1:" + _listener.Port);

    /// <summary>Records handed on so far.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    private int _delivered;
    private int _queued;

    /// <summary>Records written and not yet handed on.</summary>
    public int Backlog => Volatile.Read(ref _queued) - Volatile.Read(ref _delivered);

    private async Task HandleAsync(HttpListenerContext context)
    {
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.InputStream.CopyToAsync(buffer);
            body = buffer.ToArray();
        }

        string operation = (context.Request.Headers["X-Amz-Target"] ?? string.Empty).Replace("DynamoDB_20120810.", string.Empty, StringComparison.Ordinal);
        if (_calls is { } calls)
        {
            string[] resources = TablesNamed(body).ToArray();
            foreach (string resource in resources)
            {
                calls.Record(context.Request.Headers["Authorization"], "dynamodb:" + operation, resource);
            }

            if (calls.IsDenied("dynamodb:" + operation))
            {
                await AwsWire.RefuseAsync(context, "dynamodb:" + operation, resources.FirstOrDefault() ?? "*");
                return;
            }
        }

        bool watched = false;
        bool askedOld = false;
        JsonObject? request = null;
        if (operation is "PutItem" or "DeleteItem" or "UpdateItem")
        {
            try
            {
                request = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException)
            {
                // Not JSON: dynalite answers it with its own error.
            }

            watched = request?["TableName"]?.GetValue<string>() == _table;
            if (watched && operation != "UpdateItem")
            {
                string asked = request!["ReturnValues"]?.GetValue<string>() ?? "NONE";
                askedOld = asked == "ALL_OLD";
                request["ReturnValues"] = "ALL_OLD";
                body = Encoding.UTF8.GetBytes(request.ToJsonString());
            }
        }

        using var forward = new HttpRequestMessage(HttpMethod.Post, _target) { Content = new ByteArrayContent(body) };
        forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/x-amz-json-1.0");
        foreach (string header in ForwardedHeaders)
        {
            if (context.Request.Headers[header] is { } value)
            {
                forward.Headers.TryAddWithoutValidation(header, value);
            }
        }

        HttpResponseMessage answer;
        try
        {
            answer = await _http.SendAsync(forward);
        }
        catch (HttpRequestException)
        {
            // dynalite is down (an outage test): the caller sees what it would see of a dead endpoint.
            context.Response.Abort();
            return;
        }

        using (answer)
        {
            byte[] responseBody = await answer.Content.ReadAsByteArrayAsync();
            bool rewritten = false;
            if (watched && answer.IsSuccessStatusCode)
            {
                JsonObject? response = JsonNode.Parse(responseBody) as JsonObject;
                JsonObject? old = response?["Attributes"] as JsonObject;
                JsonObject? item = operation == "PutItem" ? request!["Item"] as JsonObject : request!["Key"] as JsonObject;
                string? eventName = operation switch
                {
                    "PutItem" => old is null ? "INSERT" : "MODIFY",
                    "DeleteItem" => old is null ? null : "REMOVE",
                    _ => "MODIFY",
                };
                if (eventName is not null && item is not null)
                {
                    Queue(eventName, item);
                }

                if (operation != "UpdateItem" && !askedOld && response is not null && response.Remove("Attributes"))
                {
                    responseBody = Encoding.UTF8.GetBytes(response.ToJsonString());
                    rewritten = true;
                }
            }

            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/x-amz-json-1.0";
            foreach (var header in answer.Headers)
            {
                // A checksum of the body dynalite sent no longer fits a body changed here.
                if (rewritten && header.Key.Equals("x-amz-crc32", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (header.Key.StartsWith("x-am", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[header.Key] = string.Join(",", header.Value);
                }
            }

            context.Response.ContentLength64 = responseBody.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(responseBody);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
            {
                // The caller gave up.
            }
        }
    }

    /// <summary>
    /// The ARNs IAM checks a DynamoDB call against: its table, or the index it queries
    /// (table/T/index/I), or each table of a batch.
    /// </summary>
    private static IEnumerable<string> TablesNamed(byte[] body)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            yield break;
        }

        if (request?["TableName"] is JsonValue t && t.TryGetValue(out string? table))
        {
            string index = request["IndexName"] is JsonValue i && i.TryGetValue(out string? name) ? "/index/" + name : string.Empty;
            yield return AwsCallLog.Arn("dynamodb", "table/" + table + index);
        }

        if (request?["RequestItems"] is JsonObject batch)
        {
            foreach (var (name, _) in batch)
            {
                yield return AwsCallLog.Arn("dynamodb", "table/" + name);
            }
        }
    }

    private void Queue(string eventName, JsonObject item)
    {
        var keys = new JsonObject();
        foreach (string key in _keys)
        {
            if (item[key] is { } value)
            {
                keys[key] = value.DeepClone();
            }
        }

        string record = new JsonObject
        {
            ["eventID"] = Guid.NewGuid().ToString("N"),
            ["eventName"] = eventName,
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = "eu-west-1",
            ["dynamodb"] = new JsonObject { ["Keys"] = keys, ["StreamViewType"] = "KEYS_ONLY" },
        }.ToJsonString();
        Interlocked.Increment(ref _queued);
        _records.Writer.TryWrite(record);
    }

    private async Task DeliverAsync(Func<string, Task> onRecords)
    {
        var batch = new StringBuilder();
        while (await _records.Reader.WaitToReadAsync())
        {
            batch.Clear().Append("{\"Records\":[");
            int count = 0;
            while (count < 100 && _records.Reader.TryRead(out string? record))
            {
                batch.Append(count++ == 0 ? string.Empty : ",").Append(record);
            }

            try
            {
                await onRecords(batch.Append("]}").ToString());
            }
            catch (Exception)
            {
                // The receiving function reports its own failure; the stream moves on, as with a bisected batch given up on.
            }

            Interlocked.Add(ref _delivered, count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _records.Writer.TryComplete();
        await _deliver;
        _http.Dispose();
    }
}
