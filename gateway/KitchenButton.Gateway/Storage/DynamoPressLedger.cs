using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Idempotency;

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

    public async Task<LedgerEntry> BeginAsync(string pressId, string thing, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = new Dictionary<string, AttributeValue>
                {
                    [Attributes.PressId] = new() { S = pressId },
                    [Attributes.Thing] = new() { S = thing },
                    [Attributes.Status] = new() { S = InProgress },
                    [Attributes.LeaseUntil] = DynamoValues.Number((now + lease).ToUnixTimeMilliseconds()),
                    [Attributes.ExpiresAt] = DynamoValues.Number((now + Retention).ToUnixTimeSeconds()),
                    [Attributes.CreatedAt] = new() { S = now.ToString("O", CultureInfo.InvariantCulture) },
                },
                ConditionExpression = "attribute_not_exists(#p)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#p"] = Attributes.PressId },
            }, cancellationToken);
            return new LedgerEntry(LedgerStatus.Acquired, null, null, null, null, false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Seen before: a retry may take over an in-progress record whose lease has run out.
        }

        try
        {
            UpdateItemResponse takeover = await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pressId),
                UpdateExpression = "SET #l = :lease",
                ConditionExpression = "#s = :inProgress AND #l < :now",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.Status, ["#l"] = Attributes.LeaseUntil },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":lease"] = DynamoValues.Number((now + lease).ToUnixTimeMilliseconds()),
                    [":now"] = DynamoValues.Number(now.ToUnixTimeMilliseconds()),
                    [":inProgress"] = new() { S = InProgress },
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return ToEntry(LedgerStatus.Acquired, takeover.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            // Completed, or in progress under a live lease.
        }

        GetItemResponse existing = await _dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(pressId), ConsistentRead = true }, cancellationToken);
        Dictionary<string, AttributeValue> item = existing.Item ?? new Dictionary<string, AttributeValue>();
        bool completed = item.TryGetValue(Attributes.Status, out AttributeValue? status) && status.S == Completed;
        return ToEntry(completed ? LedgerStatus.Completed : LedgerStatus.InProgress, item);
    }

    public Task RecordClaimAsync(string pressId, string queueKey, string orderId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, "SET #q = :q, #o = :o", new Dictionary<string, string> { ["#q"] = Attributes.ClaimedQueueKey, ["#o"] = Attributes.ClaimedOrderId },
            new Dictionary<string, AttributeValue> { [":q"] = new() { S = queueKey }, [":o"] = new() { S = orderId } }, cancellationToken);
    }

    public Task ClearClaimAsync(string pressId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, "REMOVE #q, #o, #m", new Dictionary<string, string>
        {
            ["#q"] = Attributes.ClaimedQueueKey,
            ["#o"] = Attributes.ClaimedOrderId,
            ["#m"] = Attributes.AnswerMayHaveLanded,
        }, null, cancellationToken);
    }

    public Task MarkAnswerMayHaveLandedAsync(string pressId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, "SET #m = :t", new Dictionary<string, string> { ["#m"] = Attributes.AnswerMayHaveLanded },
            new Dictionary<string, AttributeValue> { [":t"] = new() { BOOL = true } }, cancellationToken);
    }

    public Task CompleteAsync(string pressId, string result, string? orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#s"] = Attributes.Status, ["#r"] = Attributes.Result, ["#c"] = Attributes.CompletedAt, ["#l"] = Attributes.LeaseUntil };
        var values = new Dictionary<string, AttributeValue>
        {
            [":s"] = new() { S = Completed },
            [":r"] = new() { S = result },
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

    public Task ReleaseLeaseAsync(string pressId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, "SET #l = :zero", new Dictionary<string, string> { ["#l"] = Attributes.LeaseUntil },
            new Dictionary<string, AttributeValue> { [":zero"] = DynamoValues.Number(0) }, cancellationToken);
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
        return new LedgerEntry(
            status,
            Text(item, Attributes.Result),
            Text(item, Attributes.OrderId),
            Text(item, Attributes.ClaimedQueueKey),
            Text(item, Attributes.ClaimedOrderId),
            item.TryGetValue(Attributes.AnswerMayHaveLanded, out AttributeValue? m) && m.BOOL == true);
    }

    private static string? Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out AttributeValue? v) ? v.S : null;

    private static Dictionary<string, AttributeValue> Key(string pressId) => new() { [Attributes.PressId] = new() { S = pressId } };

}
