using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// The tickets one execution parked at one station: found by the executionArn the workflow's kitchen
/// step writes on each, and deleted only while they still belong to that execution.
/// </summary>
public sealed class DynamoExecutionTickets
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DynamoExecutionTickets(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    /// <summary>Deletes the execution's tickets at the station; returns how many went.</summary>
    public async Task<int> WithdrawAsync(string stationId, string executionArn, CancellationToken cancellationToken)
    {
        int withdrawn = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse page = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#s = :s",
                FilterExpression = "#x = :x",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId, ["#x"] = Attributes.ExecutionArn },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = stationId }, [":x"] = new() { S = executionArn } },
                ProjectionExpression = "#s, " + Attributes.QueueKey,
                ConsistentRead = true,
                ExclusiveStartKey = start,
            }, cancellationToken);

            foreach (Dictionary<string, AttributeValue> item in page.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                try
                {
                    await _dynamo.DeleteItemAsync(new DeleteItemRequest
                    {
                        TableName = _table,
                        Key = new Dictionary<string, AttributeValue>
                        {
                            [Attributes.StationId] = new() { S = stationId },
                            [Attributes.QueueKey] = item[Attributes.QueueKey],
                        },
                        ConditionExpression = "#x = :x",
                        ExpressionAttributeNames = new Dictionary<string, string> { ["#x"] = Attributes.ExecutionArn },
                        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":x"] = new() { S = executionArn } },
                    }, cancellationToken);
                    withdrawn++;
                }
                catch (ConditionalCheckFailedException)
                {
                    // Already gone (answered, or withdrawn by the workflow itself).
                }
            }

            start = page.LastEvaluatedKey;
        }
        while (start != null && start.Count > 0);
        return withdrawn;
    }
}
