using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// The devices table, for operators. Changes update only the fields they concern, so a button's
/// health report fields survive a move or a disable, and each is conditioned on the item existing.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DeviceRegistry(IAmazonDynamoDB dynamo, GatewayTables tables)
    {
        _dynamo = dynamo;
        _table = tables.Devices;
    }

    public async Task<DeviceRecord?> FindAsync(string thing, CancellationToken cancellationToken)
    {
        GetItemResponse response = await _dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(thing), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? ToRecord(item) : null;
    }

    /// <summary>Every paired button, or those of one station, by thing name.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> ListAsync(string? stationId, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            List<Dictionary<string, AttributeValue>> items;
            if (stationId == null)
            {
                ScanResponse page = await _dynamo.ScanAsync(new ScanRequest { TableName = _table, ExclusiveStartKey = start }, cancellationToken);
                (items, start) = (page.Items, page.LastEvaluatedKey);
            }
            else
            {
                // The index holds keys only: each device is then read whole.
                QueryResponse page = await _dynamo.QueryAsync(new QueryRequest
                {
                    TableName = _table,
                    IndexName = Attributes.DevicesByStationIndex,
                    KeyConditionExpression = "#s = :s",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = Attributes.StationId },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = stationId } },
                    ExclusiveStartKey = start,
                }, cancellationToken);
                (items, start) = (page.Items, page.LastEvaluatedKey);
            }

            foreach (Dictionary<string, AttributeValue> item in items ?? new List<Dictionary<string, AttributeValue>>())
            {
                DeviceRecord? device = stationId == null ? ToRecord(item) : await FindAsync(item[Attributes.Thing].S, cancellationToken);
                if (device != null)
                {
                    devices.Add(device);
                }
            }
        }
        while (start is { Count: > 0 });
        devices.Sort((a, b) => string.CompareOrdinal(a.Thing, b.Thing));
        return devices;
    }

    /// <summary>Writes a new device item; false when the thing already has one.</summary>
    public async Task<bool> CreateAsync(string thing, string stationId, byte[] secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = new Dictionary<string, AttributeValue>
                {
                    [Attributes.Thing] = new() { S = thing },
                    [Attributes.StationId] = new() { S = stationId },
                    [Attributes.Secret] = new() { B = new MemoryStream(secret) },
                    [Attributes.Enabled] = new() { BOOL = true },
                    [Attributes.PairedAt] = new() { S = now.ToString("O", CultureInfo.InvariantCulture) },
                },
                ConditionExpression = "attribute_not_exists(#t)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = Attributes.Thing },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task SetStationAsync(string thing, string stationId, CancellationToken cancellationToken) =>
        UpdateAsync(thing, "#v = :v", Attributes.StationId, new AttributeValue { S = stationId }, cancellationToken);

    public Task SetEnabledAsync(string thing, bool enabled, CancellationToken cancellationToken) =>
        UpdateAsync(thing, "#v = :v", Attributes.Enabled, new AttributeValue { BOOL = enabled }, cancellationToken);

    public Task SetSecretAsync(string thing, byte[] secret, CancellationToken cancellationToken) =>
        UpdateAsync(thing, "#v = :v", Attributes.Secret, new AttributeValue { B = new MemoryStream(secret) }, cancellationToken);

    public Task DeleteAsync(string thing, CancellationToken cancellationToken) =>
        _dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Key(thing) }, cancellationToken);

    private async Task UpdateAsync(string thing, string assignment, string attribute, AttributeValue value, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(thing),
                UpdateExpression = "SET " + assignment,
                ConditionExpression = "attribute_exists(#t)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = Attributes.Thing, ["#v"] = attribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":v"] = value },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw NotPaired(thing);
        }
    }

    public static OperatorException NotPaired(string thing) => OperatorException.Failed("'" + thing + "' is not paired (`device list` shows the buttons)");

    private static Dictionary<string, AttributeValue> Key(string thing) => new() { [Attributes.Thing] = new() { S = thing } };

    private static DeviceRecord ToRecord(Dictionary<string, AttributeValue> item)
    {
        long? Number(string name) => item.TryGetValue(name, out AttributeValue? v) && long.TryParse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;
        string? Text(string name) => item.TryGetValue(name, out AttributeValue? v) ? v.S : null;
        long? lastSeen = Number(Attributes.LastStatusAt);
        return new DeviceRecord(
            Text(Attributes.Thing) ?? string.Empty,
            Text(Attributes.StationId) ?? string.Empty,
            item.TryGetValue(Attributes.Enabled, out AttributeValue? e) && e.BOOL == true,
            Text(Attributes.PairedAt))
        {
            LastSeen = lastSeen is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            Firmware = Text(Attributes.Firmware),
            WifiRssi = Number(Attributes.WifiRssi),
            FreeMemory = Number(Attributes.FreeMemory),
            QueuedPresses = Number(Attributes.QueuedPresses),
            UptimeSeconds = Number(Attributes.UptimeSeconds),
            LastError = Text(Attributes.LastError),
        };
    }
}
