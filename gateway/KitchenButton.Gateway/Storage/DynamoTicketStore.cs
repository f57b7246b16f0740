using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Orders;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// Station queues in DynamoDB: one partition per station, sorted by queue key (arrival order).
/// A claim is a conditional update, so of two presses racing for the same task exactly one wins and
/// the other moves on to the next task.
/// </summary>
public sealed class DynamoTicketStore : ITicketStore
{
    private readonly DynamoJsonClient _dynamo;
    private readonly string _table;

    public DynamoTicketStore(DynamoJsonClient dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<StationQueue> ReadAsync(string stationId, string claimant, DateTimeOffset parkedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Expired items are dropped by the server's filter; the pages go on to the partition's end
        // (or the invocation's deadline), so no number of them hides a live order.
        var claimable = new List<Ticket>();
        int waiting = 0;
        long nowMs = now.ToUnixTimeMilliseconds();
        string? start = null;
        do
        {
            string? from = start;
            DynamoAnswer page = await _dynamo.CallAsync("Query", json =>
            {
                WriteLiveAtStation(json, stationId, now, from);
                json.WriteBoolean("ConsistentRead", true);
                json.WriteBoolean("ScanIndexForward", true);
            }, cancellationToken);

            foreach (DynamoRecord item in page.Items)
            {
                waiting++;
                bool heldByOther = item.S(Attributes.ClaimedBy) is string by && by != claimant
                    && item.N(Attributes.ClaimUntil) is long until && until >= nowMs;
                if (!heldByOther && item.ContainsKey(Attributes.TaskToken))
                {
                    Ticket task = ToTask(item);
                    if (task.ParkedAt is not DateTimeOffset parked || parked <= parkedBy)
                    {
                        claimable.Add(task);
                    }
                }
            }

            start = page.LastEvaluatedKey;
        }
        while (start != null);
        return new StationQueue(claimable, waiting);
    }

    public async Task<Ticket?> ClaimAsync(string stationId, string queueKey, string taskToken, string claimant, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        DynamoAnswer? answer = await _dynamo.CallConditionalAsync("UpdateItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, stationId, queueKey);
            json.WriteString("UpdateExpression", "SET #c = :c, #u = :until");
            json.WriteString("ConditionExpression", "attribute_exists(#k) AND #e > :nowSeconds AND (attribute_not_exists(#c) OR #c = :c OR #u < :now) AND #t = :t");
            json.WriteNames(("#k", Attributes.QueueKey), ("#c", Attributes.ClaimedBy), ("#u", Attributes.ClaimUntil), ("#e", Attributes.ExpiresAt), ("#t", Attributes.TaskToken));
            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteS(":c", claimant);
            json.WriteN(":until", (now + lease).ToUnixTimeMilliseconds());
            json.WriteN(":now", now.ToUnixTimeMilliseconds());
            json.WriteN(":nowSeconds", now.ToUnixTimeSeconds());
            json.WriteS(":t", taskToken);
            json.WriteEndObject();
            json.WriteString("ReturnValues", "ALL_NEW");
        }, cancellationToken);
        return answer?.Item is { } item ? ToTask(item) : null;
    }

    public async Task RemoveAsync(string stationId, string queueKey, string taskToken, string claimant, CancellationToken cancellationToken)
    {
        // Null when gone, re-parked with a new token, or held by someone else: not ours to delete.
        await _dynamo.CallConditionalAsync("DeleteItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, stationId, queueKey);
            json.WriteString("ConditionExpression", "#t = :t AND (attribute_not_exists(#c) OR #c = :c)");
            json.WriteNames(("#t", Attributes.TaskToken), ("#c", Attributes.ClaimedBy));
            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteS(":t", taskToken);
            json.WriteS(":c", claimant);
            json.WriteEndObject();
        }, cancellationToken);
    }

    public async Task ReleaseAsync(string stationId, string queueKey, string claimant, CancellationToken cancellationToken)
    {
        // Null when gone or no longer ours: nothing to give back.
        await _dynamo.CallConditionalAsync("UpdateItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, stationId, queueKey);
            json.WriteString("UpdateExpression", "REMOVE #c, #u");
            json.WriteString("ConditionExpression", "#c = :c");
            json.WriteNames(("#c", Attributes.ClaimedBy), ("#u", Attributes.ClaimUntil));
            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteS(":c", claimant);
            json.WriteEndObject();
        }, cancellationToken);
    }

    public async Task<int> CountAsync(string stationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int count = 0;
        string? start = null;
        do
        {
            string? from = start;
            DynamoAnswer page = await _dynamo.CallAsync("Query", json =>
            {
                WriteLiveAtStation(json, stationId, now, from);
                json.WriteString("Select", "COUNT");
            }, cancellationToken);
            count += page.Count;
            start = page.LastEvaluatedKey;
        }
        while (start != null);
        return count;
    }

    private static Ticket ToTask(DynamoRecord item)
    {
        return new Ticket(
            item.S(Attributes.StationId) ?? string.Empty,
            item.S(Attributes.QueueKey) ?? string.Empty,
            item.S(Attributes.OrderId) ?? string.Empty,
            item.S(Attributes.Summary) ?? string.Empty,
            item.S(Attributes.TaskToken) ?? string.Empty,
            DateTimeOffset.FromUnixTimeSeconds(item.N(Attributes.ExpiresAt) ?? 0),
            item.S(Attributes.ExecutionArn),
            DateTimeOffset.TryParse(item.S(Attributes.ParkedAt), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parked) ? parked : null);
    }

    private static void WriteKey(Utf8JsonWriter json, string stationId, string queueKey)
    {
        json.WriteStartObject("Key");
        json.WriteS(Attributes.StationId, stationId);
        json.WriteS(Attributes.QueueKey, queueKey);
        json.WriteEndObject();
    }

    /// <summary>A query of the station's partition without expired items, from a page's LastEvaluatedKey.</summary>
    private void WriteLiveAtStation(Utf8JsonWriter json, string stationId, DateTimeOffset now, string? lastEvaluatedKey)
    {
        json.WriteString("TableName", _table);
        json.WriteString("KeyConditionExpression", "#s = :s");
        json.WriteString("FilterExpression", "#e > :nowSeconds");
        json.WriteNames(("#s", Attributes.StationId), ("#e", Attributes.ExpiresAt));
        json.WriteStartObject("ExpressionAttributeValues");
        json.WriteS(":s", stationId);
        json.WriteN(":nowSeconds", now.ToUnixTimeSeconds());
        json.WriteEndObject();
        if (lastEvaluatedKey != null)
        {
            json.WritePropertyName("ExclusiveStartKey");
            json.WriteRawValue(lastEvaluatedKey, skipInputValidation: true);
        }
    }
}
