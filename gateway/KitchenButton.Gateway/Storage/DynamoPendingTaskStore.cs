using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Orders;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// Station queues in DynamoDB: one partition per station, sorted by queue key (arrival order).
/// A claim is a conditional update, so of two presses racing for the same task exactly one wins and
/// the other moves on to the next task.
/// </summary>
public sealed class DynamoPendingTaskStore : IPendingTaskStore
{

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DynamoPendingTaskStore(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<StationQueue> ReadAsync(string stationId, string claimant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Expired items are dropped by the server's filter; the pages go on to the partition's end
        // (or the invocation's deadline), so no number of them hides a live order.
        var claimable = new List<PendingTask>();
        int waiting = 0;
        long nowMs = now.ToUnixTimeMilliseconds();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse response = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#s = :s",
                FilterExpression = "#e > :nowSeconds",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId, ["#e"] = Attributes.ExpiresAt },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":s"] = new() { S = stationId },
                    [":nowSeconds"] = DynamoValues.Number(now.ToUnixTimeSeconds()),
                },
                ConsistentRead = true,
                ScanIndexForward = true,
                ExclusiveStartKey = start,
            }, cancellationToken);

            foreach (Dictionary<string, AttributeValue> item in response.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                waiting++;
                bool heldByOther = item.TryGetValue(Attributes.ClaimedBy, out AttributeValue? by) && by.S != claimant
                    && item.TryGetValue(Attributes.ClaimUntil, out AttributeValue? until)
                    && long.Parse(until.N, CultureInfo.InvariantCulture) >= nowMs;
                if (!heldByOther && item.ContainsKey(Attributes.TaskToken))
                {
                    claimable.Add(ToTask(item));
                }
            }

            start = response.LastEvaluatedKey;
        }
        while (start != null && start.Count > 0);
        return new StationQueue(claimable, waiting);
    }

    public Task<PendingTask?> ClaimAsync(string stationId, string queueKey, string taskToken, string claimant, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        return TryClaimAsync(stationId, queueKey, taskToken, claimant, now, lease, cancellationToken);
    }

    public async Task RemoveAsync(string stationId, string queueKey, string taskToken, string claimant, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = Key(stationId, queueKey),
                ConditionExpression = "#t = :t AND (attribute_not_exists(#c) OR #c = :c)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = Attributes.TaskToken, ["#c"] = Attributes.ClaimedBy },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = new() { S = taskToken }, [":c"] = new() { S = claimant } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Gone, re-parked with a new token, or held by someone else: not ours to delete.
        }
    }

    public async Task ReleaseAsync(string stationId, string queueKey, string claimant, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(stationId, queueKey),
                UpdateExpression = "REMOVE #c, #u",
                ConditionExpression = "#c = :c",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#c"] = Attributes.ClaimedBy, ["#u"] = Attributes.ClaimUntil },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":c"] = new() { S = claimant } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Gone or no longer ours: nothing to give back.
        }
    }

    public async Task<int> CountAsync(string stationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse response = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#s = :s",
                FilterExpression = "#e > :now",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId, ["#e"] = Attributes.ExpiresAt },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":s"] = new() { S = stationId },
                    [":now"] = new() { N = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
                },
                Select = Select.COUNT,
                ExclusiveStartKey = start,
            }, cancellationToken);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey;
        }
        while (start != null && start.Count > 0);
        return count;
    }

    private async Task<PendingTask?> TryClaimAsync(string stationId, string queueKey, string? taskToken, string claimant, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            var names = new Dictionary<string, string>
            {
                ["#k"] = Attributes.QueueKey,
                ["#c"] = Attributes.ClaimedBy,
                ["#u"] = Attributes.ClaimUntil,
                ["#e"] = Attributes.ExpiresAt,
            };
            var values = new Dictionary<string, AttributeValue>
            {
                [":c"] = new() { S = claimant },
                [":until"] = DynamoValues.Number((now + lease).ToUnixTimeMilliseconds()),
                [":now"] = DynamoValues.Number(now.ToUnixTimeMilliseconds()),
                [":nowSeconds"] = DynamoValues.Number(now.ToUnixTimeSeconds()),
            };
            string condition = "attribute_exists(#k) AND #e > :nowSeconds AND (attribute_not_exists(#c) OR #c = :c OR #u < :now)";
            if (taskToken != null)
            {
                names["#t"] = Attributes.TaskToken;
                values[":t"] = new AttributeValue { S = taskToken };
                condition += " AND #t = :t";
            }

            UpdateItemResponse response = await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(stationId, queueKey),
                UpdateExpression = "SET #c = :c, #u = :until",
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return ToTask(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private static PendingTask ToTask(Dictionary<string, AttributeValue> item)
    {
        return new PendingTask(
            item[Attributes.StationId].S,
            item[Attributes.QueueKey].S,
            item.TryGetValue(Attributes.OrderId, out AttributeValue? o) ? o.S : string.Empty,
            item.TryGetValue(Attributes.Summary, out AttributeValue? s) ? s.S ?? string.Empty : string.Empty,
            item[Attributes.TaskToken].S,
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(item[Attributes.ExpiresAt].N, CultureInfo.InvariantCulture)),
            item.TryGetValue(Attributes.ExecutionArn, out AttributeValue? x) ? x.S : null);
    }

    private static Dictionary<string, AttributeValue> Key(string stationId, string queueKey) => new()
    {
        [Attributes.StationId] = new() { S = stationId },
        [Attributes.QueueKey] = new() { S = queueKey },
    };

}
