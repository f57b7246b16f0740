using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Pairing;

namespace KitchenButton.Gateway.Storage;

/// <summary>Paired devices and stations in DynamoDB.</summary>
public sealed class DynamoDeviceDirectory : IDeviceDirectory
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly GatewayTables _tables;
    private readonly TimeProvider _time;

    public DynamoDeviceDirectory(IAmazonDynamoDB dynamo, GatewayTables tables, TimeProvider time)
    {
        _dynamo = dynamo;
        _tables = tables;
        _time = time;
    }

    public async Task<PairedDevice?> FindDeviceAsync(string thing, CancellationToken cancellationToken)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _tables.Devices,
            Key = new Dictionary<string, AttributeValue> { [Attributes.Thing] = new() { S = thing } },
        }, cancellationToken);
        Dictionary<string, AttributeValue>? item = response.Item;
        if (item == null || item.Count == 0)
        {
            return null;
        }

        return new PairedDevice(
            item[Attributes.Thing].S,
            item[Attributes.StationId].S,
            item.TryGetValue(Attributes.Secret, out AttributeValue? s) && s.B != null ? s.B.ToArray() : Array.Empty<byte>(),
            item.TryGetValue(Attributes.Enabled, out AttributeValue? e) && e.BOOL == true);
    }

    public async Task<Station?> FindStationAsync(string stationId, CancellationToken cancellationToken)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _tables.Stations,
            Key = new Dictionary<string, AttributeValue> { [Attributes.StationId] = new() { S = stationId } },
        }, cancellationToken);
        Dictionary<string, AttributeValue>? item = response.Item;
        if (item == null || item.Count == 0)
        {
            return null;
        }

        return new Station(
            item[Attributes.StationId].S,
            item.TryGetValue(Attributes.Name, out AttributeValue? n) ? n.S ?? stationId : stationId,
            item.TryGetValue(Attributes.TimeoutSeconds, out AttributeValue? t) && t.N != null ? int.Parse(t.N, CultureInfo.InvariantCulture) : 1800);
    }

    public async Task<IReadOnlyList<string>> ListThingsAtStationAsync(string stationId, CancellationToken cancellationToken)
    {
        var things = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse response = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _tables.Devices,
                IndexName = Attributes.DevicesByStationIndex,
                KeyConditionExpression = "#s = :s",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = stationId } },
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (Dictionary<string, AttributeValue> item in response.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                if (item.TryGetValue(Attributes.Enabled, out AttributeValue? e) && e.BOOL == true)
                {
                    things.Add(item[Attributes.Thing].S);
                }
            }

            start = response.LastEvaluatedKey;
        }
        while (start != null && start.Count > 0);
        return things;
    }

    public Task PutDeviceAsync(PairedDevice device, CancellationToken cancellationToken)
    {
        return _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _tables.Devices,
            Item = new Dictionary<string, AttributeValue>
            {
                [Attributes.Thing] = new() { S = device.Thing },
                [Attributes.StationId] = new() { S = device.StationId },
                [Attributes.Secret] = new() { B = new MemoryStream(device.Secret) },
                [Attributes.Enabled] = new() { BOOL = device.Enabled },
                [Attributes.PairedAt] = new() { S = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
            },
        }, cancellationToken);
    }

    public Task PutStationAsync(Station station, CancellationToken cancellationToken)
    {
        return _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _tables.Stations,
            Item = new Dictionary<string, AttributeValue>
            {
                [Attributes.StationId] = new() { S = station.StationId },
                [Attributes.Name] = new() { S = station.Name },
                [Attributes.TimeoutSeconds] = new() { N = station.TimeoutSeconds.ToString(CultureInfo.InvariantCulture) },
            },
        }, cancellationToken);
    }
}
