using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// DynamoDB's JSON API (awsJson1.0, DynamoDB_20120810.*) for the press path, written and read with
/// System.Text.Json directly. The SDK's client costs about 1 ms of CPU and 25 KB per call on this
/// path (bench/, calls mode); this one sends the same requests through <see cref="SignedAwsHttpClient"/>
/// (its retries, its deadlines, its fault classes) for a fraction of that. Items come back as the
/// string and number attributes the press path stores.
/// </summary>
public sealed class DynamoJsonClient
{
    public const string SigningService = "dynamodb";

    private const string ContentType = "application/x-amz-json-1.0";

    private readonly SignedAwsHttpClient _http;

    public DynamoJsonClient(SignedAwsHttpClient http)
    {
        _http = http;
    }

    /// <summary>The regional endpoint, as the SDK resolves it.</summary>
    public static Uri Endpoint(string region) => new("https://dynamodb." + region + ".amazonaws.com");

    /// <summary>Sends one operation; the answer's top-level object.</summary>
    public async Task<DynamoAnswer> CallAsync(string operation, Action<Utf8JsonWriter> request, CancellationToken cancellationToken)
    {
        byte[] answer = await _http.SendAsync(HttpMethod.Post, "/", JsonBody.Write(request), ContentType, "DynamoDB_20120810." + operation, cancellationToken);
        return DynamoAnswer.Parse(answer);
    }

    /// <summary>As <see cref="CallAsync"/> for a conditional write: null when its condition failed.</summary>
    public async Task<DynamoAnswer?> CallConditionalAsync(string operation, Action<Utf8JsonWriter> request, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(operation, request, cancellationToken);
        }
        catch (AwsServiceException e) when (e.Error.Code == "ConditionalCheckFailedException")
        {
            return null;
        }
    }
}

/// <summary>
/// A DynamoDB answer: its items (Item, Attributes, Items) as string and number attributes, and the
/// page's LastEvaluatedKey kept as raw JSON to send back as ExclusiveStartKey.
/// </summary>
public sealed class DynamoAnswer
{
    private DynamoAnswer(IReadOnlyList<DynamoRecord> items, DynamoRecord? item, string? lastEvaluatedKey, int count)
    {
        Count = count;
        Items = items;
        Item = item;
        LastEvaluatedKey = lastEvaluatedKey;
    }

    /// <summary>A Query's or Scan's Count: the items of this page that passed the filter.</summary>
    public int Count { get; }

    /// <summary>A Query's or Scan's items.</summary>
    public IReadOnlyList<DynamoRecord> Items { get; }

    /// <summary>GetItem's Item, or UpdateItem's Attributes; null when absent.</summary>
    public DynamoRecord? Item { get; }

    public string? LastEvaluatedKey { get; }

    public static DynamoAnswer Parse(byte[] answer)
    {
        using JsonDocument doc = JsonDocument.Parse(answer);
        JsonElement root = doc.RootElement;
        var items = new List<DynamoRecord>();
        if (root.TryGetProperty("Items", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement element in list.EnumerateArray())
            {
                items.Add(DynamoRecord.From(element));
            }
        }

        DynamoRecord? item = root.TryGetProperty("Item", out JsonElement one) || root.TryGetProperty("Attributes", out one) ? DynamoRecord.From(one) : null;
        string? last = root.TryGetProperty("LastEvaluatedKey", out JsonElement key) && key.ValueKind == JsonValueKind.Object ? key.GetRawText() : null;
        int count = root.TryGetProperty("Count", out JsonElement c) && c.TryGetInt32(out int n) ? n : items.Count;
        return new DynamoAnswer(items, item is { Count: > 0 } ? item : null, last, count);
    }
}

/// <summary>An item's S and N attributes by name (numbers kept as DynamoDB's text).</summary>
public sealed class DynamoRecord : Dictionary<string, string>
{
    private DynamoRecord()
        : base(StringComparer.Ordinal)
    {
    }

    public string? S(string name) => TryGetValue(name, out string? value) ? value : null;

    public long? N(string name) => TryGetValue(name, out string? value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;

    internal static DynamoRecord From(JsonElement item)
    {
        var record = new DynamoRecord();
        if (item.ValueKind != JsonValueKind.Object)
        {
            return record;
        }

        foreach (JsonProperty attribute in item.EnumerateObject())
        {
            if (attribute.Value.ValueKind == JsonValueKind.Object
                && (attribute.Value.TryGetProperty("S", out JsonElement value) || attribute.Value.TryGetProperty("N", out value))
                && value.ValueKind == JsonValueKind.String)
            {
                record[attribute.Name] = value.GetString()!;
            }
        }

        return record;
    }
}

/// <summary>Writes DynamoDB's typed attribute values.</summary>
public static class DynamoJsonWriter
{
    public static void WriteS(this Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject(name);
        json.WriteString("S", value);
        json.WriteEndObject();
    }

    public static void WriteN(this Utf8JsonWriter json, string name, long value)
    {
        json.WriteStartObject(name);
        json.WriteString("N", value.ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    /// <summary>ExpressionAttributeNames from "#x" → attribute pairs.</summary>
    public static void WriteNames(this Utf8JsonWriter json, params (string Placeholder, string Attribute)[] names)
    {
        json.WriteStartObject("ExpressionAttributeNames");
        foreach (var (placeholder, attribute) in names)
        {
            json.WriteString(placeholder, attribute);
        }

        json.WriteEndObject();
    }
}
