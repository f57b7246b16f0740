using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// The press ledger in DynamoDB, in the manner of Powertools' idempotency: a conditional put takes
/// ownership, an expired in-progress lease can be taken over by a retry, a completed record answers
/// every later delivery. Records expire by TTL after <see cref="Retention"/>.
/// </summary>
public sealed class DynamoPressLedger : IPressLedger
{
    /// <summary>Longer than the freshness window and Lambda's longest async retry (6 h).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const string InProgress = "IN_PROGRESS";
    private const string Completed = "COMPLETED";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DynamoPressLedger(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<LedgerEntry> BeginAsync(string pressId, string thing, string fingerprint, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken, PendingTask? intended = null)
    {
        try
        {
            var record = new Dictionary<string, AttributeValue>
            {
                [Attributes.PressId] = new() { S = pressId },
                [Attributes.Thing] = new() { S = thing },
                [Attributes.Fingerprint] = new() { S = fingerprint },
                [Attributes.Status] = new() { S = InProgress },
                [Attributes.Owner] = new() { S = owner },
                [Attributes.LeaseUntil] = DynamoValues.Number((now + lease).ToUnixTimeMilliseconds()),
                [Attributes.ExpiresAt] = DynamoValues.Number((now + Retention).ToUnixTimeSeconds()),
                [Attributes.CreatedAt] = new() { S = now.ToString("O", CultureInfo.InvariantCulture) },
            };
            if (intended != null)
            {
                foreach (KeyValuePair<string, AttributeValue> field in ClaimFields(intended))
                {
                    record[field.Key] = field.Value;
                }
            }

            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = record,
                ConditionExpression = "attribute_not_exists(#p)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#p"] = Attributes.PressId },
            }, cancellationToken);
            return new LedgerEntry(LedgerStatus.Acquired, null, null, null, IsNew: true);
        }
        catch (ConditionalCheckFailedException)
        {
            // Seen before. Ours (the SDK retried a put that had landed), or a retry may take over an
            // in-progress record whose lease has run out; either way only for the same press.
        }

        try
        {
            UpdateItemResponse takeover = await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pressId),
                UpdateExpression = "SET #l = :lease, #o = :owner",
                ConditionExpression = "#s = :inProgress AND #f = :fingerprint AND (#l < :now OR #o = :owner)",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#s"] = Attributes.Status,
                    ["#l"] = Attributes.LeaseUntil,
                    ["#o"] = Attributes.Owner,
                    ["#f"] = Attributes.Fingerprint,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":lease"] = DynamoValues.Number((now + lease).ToUnixTimeMilliseconds()),
                    [":now"] = DynamoValues.Number(now.ToUnixTimeMilliseconds()),
                    [":inProgress"] = new() { S = InProgress },
                    [":owner"] = new() { S = owner },
                    [":fingerprint"] = new() { S = fingerprint },
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return ToEntry(LedgerStatus.Acquired, takeover.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            // Completed, in progress under another live lease, or another press with this id.
        }

        GetItemResponse existing = await _dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(pressId), ConsistentRead = true }, cancellationToken);
        Dictionary<string, AttributeValue> item = existing.Item ?? new Dictionary<string, AttributeValue>();
        if (item.Count == 0)
        {
            // Expired by TTL between the two calls: the caller retries from the start.
            throw new InvalidOperationException("ledger record of " + pressId + " vanished while being read");
        }

        if (Text(item, Attributes.Fingerprint) is string seen && seen != fingerprint)
        {
            return ToEntry(LedgerStatus.Reused, item);
        }

        bool completed = item.TryGetValue(Attributes.Status, out AttributeValue? status) && status.S == Completed;
        return ToEntry(completed ? LedgerStatus.Completed : LedgerStatus.InProgress, item);
    }

    public Task RecordClaimAsync(string pressId, PendingTask task, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>();
        var values = new Dictionary<string, AttributeValue>();
        var sets = new List<string>();
        foreach (KeyValuePair<string, AttributeValue> field in ClaimFields(task))
        {
            string n = "#a" + sets.Count;
            string v = ":a" + sets.Count;
            names[n] = field.Key;
            values[v] = field.Value;
            sets.Add(n + " = " + v);
        }

        return UpdateAsync(pressId, "SET " + string.Join(", ", sets), names, values, cancellationToken);
    }

    /// <summary>The ledger attributes that record a claimed task.</summary>
    private static IEnumerable<KeyValuePair<string, AttributeValue>> ClaimFields(PendingTask task)
    {
        yield return new(Attributes.ClaimedQueueKey, new AttributeValue { S = task.QueueKey });
        yield return new(Attributes.ClaimedOrderId, new AttributeValue { S = task.OrderId });
        yield return new(Attributes.ClaimedToken, new AttributeValue { S = task.TaskToken });
        if (task.ExecutionArn != null)
        {
            yield return new(Attributes.ClaimedExecution, new AttributeValue { S = task.ExecutionArn });
        }
    }

    public Task ClearClaimAsync(string pressId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, "REMOVE #q, #o, #t, #x", new Dictionary<string, string>
        {
            ["#q"] = Attributes.ClaimedQueueKey,
            ["#o"] = Attributes.ClaimedOrderId,
            ["#t"] = Attributes.ClaimedToken,
            ["#x"] = Attributes.ClaimedExecution,
        }, null, cancellationToken);
    }

    public Task CompleteAsync(string pressId, PressResult result, string? orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#s"] = Attributes.Status, ["#r"] = Attributes.Result, ["#c"] = Attributes.CompletedAt, ["#l"] = Attributes.LeaseUntil };
        var values = new Dictionary<string, AttributeValue>
        {
            [":s"] = new() { S = Completed },
            [":r"] = new() { S = result.ToWire() },
            [":c"] = new() { S = now.ToString("O", CultureInfo.InvariantCulture) },
        };
        string update = "SET #s = :s, #r = :r, #c = :c";
        if (orderId != null)
        {
            names["#o"] = Attributes.OrderId;
            values[":o"] = new AttributeValue { S = orderId };
            update += ", #o = :o";
        }

        return UpdateAsync(pressId, update + " REMOVE #l", names, values, cancellationToken);
    }

    public async Task ReleaseLeaseAsync(string pressId, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pressId),
                UpdateExpression = "SET #l = :zero",
                ConditionExpression = "#o = :owner",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#l"] = Attributes.LeaseUntil, ["#o"] = Attributes.Owner },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":zero"] = DynamoValues.Number(0), [":owner"] = new() { S = owner } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another invocation took the press over: its lease is not ours to end.
        }
    }

    private Task UpdateAsync(string pressId, string update, Dictionary<string, string> names, Dictionary<string, AttributeValue>? values, CancellationToken cancellationToken)
    {
        return _dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = Key(pressId),
            UpdateExpression = update,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, cancellationToken);
    }

    private static LedgerEntry ToEntry(LedgerStatus status, Dictionary<string, AttributeValue> item)
    {
        ClaimedTask? claim = Text(item, Attributes.ClaimedQueueKey) is string queueKey && Text(item, Attributes.ClaimedToken) is string token
            ? new ClaimedTask(queueKey, Text(item, Attributes.ClaimedOrderId) ?? string.Empty, token, Text(item, Attributes.ClaimedExecution))
            : null;
        PressResult? result = WireNames.TryParseResult(Text(item, Attributes.Result), out PressResult r) ? r : null;
        return new LedgerEntry(status, result, Text(item, Attributes.OrderId), claim);
    }

    private static string? Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out AttributeValue? v) ? v.S : null;

    private static Dictionary<string, AttributeValue> Key(string pressId) => new() { [Attributes.PressId] = new() { S = pressId } };

}
