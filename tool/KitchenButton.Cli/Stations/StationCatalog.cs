using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Cli.Stations;

/// <summary>
/// The stations table, for operators: every write is conditional, so adding a station that exists or
/// changing one that does not is a conflict, never a silent overwrite.
/// </summary>
public sealed class StationCatalog
{
    /// <summary>The waits the workflow accepts for a station (CheckStations): whole seconds, 60 to 86400.</summary>
    public const int MinTimeoutSeconds = 60;

    public const int MaxTimeoutSeconds = 86400;

    private readonly IAmazonDynamoDB _dynamo;
    private readonly GatewayTables _tables;
    private readonly DynamoTicketStore _pending;

    /// <param name="pendingJson">The gateway's client: orders waiting are counted as the press handler counts them.</param>
    public StationCatalog(IAmazonDynamoDB dynamo, DynamoJsonClient pendingJson, GatewayTables tables)
    {
        _dynamo = dynamo;
        _tables = tables;
        _pending = new DynamoTicketStore(pendingJson, tables.Tickets);
    }

    public static string? CheckTimeout(int seconds) =>
        seconds is < MinTimeoutSeconds or > MaxTimeoutSeconds
            ? "the prep timeout must be " + MinTimeoutSeconds + " to " + MaxTimeoutSeconds + " seconds, not " + seconds
            : null;

    public async Task AddAsync(string stationId, string name, int timeoutSeconds, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _tables.Stations,
                Item = new Dictionary<string, AttributeValue>
                {
                    [Attributes.StationId] = new() { S = stationId },
                    [Attributes.Name] = new() { S = name },
                    [Attributes.TimeoutSeconds] = new AttributeValue { N = timeoutSeconds.ToString(CultureInfo.InvariantCulture) },
                },
                ConditionExpression = "attribute_not_exists(#s)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw OperatorException.Conflict("station '" + stationId + "' already exists: change it with `station set`");
        }
    }

    public async Task<StationRecord?> FindAsync(string stationId, CancellationToken cancellationToken)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _tables.Stations,
            Key = new Dictionary<string, AttributeValue> { [Attributes.StationId] = new() { S = stationId } },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? await WithCountsAsync(item, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<StationRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var stations = new List<StationRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page = await _dynamo.ScanAsync(new ScanRequest { TableName = _tables.Stations, ExclusiveStartKey = start }, cancellationToken);
            foreach (Dictionary<string, AttributeValue> item in page.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                stations.Add(await WithCountsAsync(item, cancellationToken));
            }

            start = page.LastEvaluatedKey;
        }
        while (start is { Count: > 0 });
        stations.Sort((a, b) => string.CompareOrdinal(a.StationId, b.StationId));
        return stations;
    }

    public async Task SetAsync(string stationId, string? name, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var sets = new List<string>();
        var names = new Dictionary<string, string> { ["#s"] = Attributes.StationId };
        var values = new Dictionary<string, AttributeValue>();
        if (name != null)
        {
            sets.Add("#n = :n");
            names["#n"] = Attributes.Name;
            values[":n"] = new AttributeValue { S = name };
        }

        if (timeoutSeconds != null)
        {
            sets.Add("#t = :t");
            names["#t"] = Attributes.TimeoutSeconds;
            values[":t"] = new AttributeValue { N = timeoutSeconds.Value.ToString(CultureInfo.InvariantCulture) };
        }

        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _tables.Stations,
                Key = new Dictionary<string, AttributeValue> { [Attributes.StationId] = new() { S = stationId } },
                UpdateExpression = "SET " + string.Join(", ", sets),
                ConditionExpression = "attribute_exists(#s)",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw OperatorException.Failed("there is no station '" + stationId + "': add it with `station add`");
        }
    }

    /// <summary>Removes a station no button is paired with and no order waits at.</summary>
    public async Task RemoveAsync(string stationId, CancellationToken cancellationToken)
    {
        StationRecord station = await FindAsync(stationId, cancellationToken)
            ?? throw OperatorException.Failed("there is no station '" + stationId + "'");
        if (station.Buttons > 0)
        {
            throw OperatorException.Conflict("station '" + stationId + "' still has " + station.Buttons + " button(s): move or forget them first (`device list --station " + stationId + "`)");
        }

        if (station.Waiting > 0)
        {
            throw OperatorException.Conflict("station '" + stationId + "' still has " + station.Waiting + " order(s) waiting: finish or stop them first (`order list --station " + stationId + "`)");
        }

        await _dynamo.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _tables.Stations,
            Key = new Dictionary<string, AttributeValue> { [Attributes.StationId] = new() { S = stationId } },
        }, cancellationToken);
    }

    private async Task<StationRecord> WithCountsAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken)
    {
        string stationId = item[Attributes.StationId].S;
        int buttons = await CountAsync(new QueryRequest
        {
            TableName = _tables.Devices,
            IndexName = Attributes.DevicesByStationIndex,
            KeyConditionExpression = "#s = :s",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = stationId } },
            Select = Select.COUNT,
        }, cancellationToken);
        int waiting = await _pending.CountAsync(stationId, DateTimeOffset.UtcNow, cancellationToken);
        return new StationRecord(
            stationId,
            item.TryGetValue(Attributes.Name, out AttributeValue? n) && n.S != null ? n.S : stationId,
            item.TryGetValue(Attributes.TimeoutSeconds, out AttributeValue? t) && int.TryParse(t.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) ? seconds : 0,
            buttons,
            waiting);
    }

    private async Task<int> CountAsync(QueryRequest query, CancellationToken cancellationToken)
    {
        int count = 0;
        do
        {
            QueryResponse page = await _dynamo.QueryAsync(query, cancellationToken);
            count += page.Count ?? 0;
            query.ExclusiveStartKey = page.LastEvaluatedKey;
        }
        while (query.ExclusiveStartKey is { Count: > 0 });
        return count;
    }
}
