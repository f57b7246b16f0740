using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Health;

namespace KitchenButton.Gateway.Storage;

/// <summary>Health reports on the devices table: a conditional update per report (newest wins), a scan for the sweep.</summary>
public sealed class DynamoDeviceHealthStore : IDeviceHealthStore
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _devicesTable;

    public DynamoDeviceHealthStore(IAmazonDynamoDB dynamo, string devicesTable)
    {
        _dynamo = dynamo;
        _devicesTable = devicesTable;
    }

    public async Task<HealthRecordResult> RecordAsync(HealthReport report, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _devicesTable,
                Key = new Dictionary<string, AttributeValue> { [Attributes.Thing] = new() { S = report.Thing } },
                UpdateExpression = "SET #at = :at, #fw = :fw, #boot = :boot, #up = :up, #mem = :mem, #rssi = :rssi, #q = :q, #err = :err",
                // Never older over newer. Equal passes: a retried write of this same report (its first
                // answer lost) lands again rather than failing as stale.
                ConditionExpression = "attribute_exists(#thing) AND (attribute_not_exists(#at) OR #at <= :at)",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#thing"] = Attributes.Thing,
                    ["#at"] = Attributes.LastStatusAt,
                    ["#fw"] = Attributes.Firmware,
                    ["#boot"] = Attributes.BootCounter,
                    ["#up"] = Attributes.UptimeSeconds,
                    ["#mem"] = Attributes.FreeMemory,
                    ["#rssi"] = Attributes.WifiRssi,
                    ["#q"] = Attributes.QueuedPresses,
                    ["#err"] = Attributes.LastError,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":at"] = DynamoValues.Number(report.ReceivedAt.ToUnixTimeSeconds()),
                    [":fw"] = new() { S = report.Firmware },
                    [":boot"] = DynamoValues.Number(report.Boot),
                    [":up"] = DynamoValues.Number(report.UptimeSeconds),
                    [":mem"] = DynamoValues.Number(report.FreeMemoryBytes),
                    [":rssi"] = DynamoValues.Number(report.WifiRssi),
                    [":q"] = DynamoValues.Number(report.QueuedPresses),
                    [":err"] = new() { S = report.LastError },
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Rare, so one more read tells the two refusals apart rather than every report paying for it.
            GetItemResponse found = await _dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = _devicesTable,
                Key = new Dictionary<string, AttributeValue> { [Attributes.Thing] = new() { S = report.Thing } },
                ProjectionExpression = "#thing",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#thing"] = Attributes.Thing },
                ConsistentRead = true,
            }, cancellationToken);
            return found.Item is { Count: > 0 } ? HealthRecordResult.Superseded : HealthRecordResult.UnknownDevice;
        }

        return HealthRecordResult.Recorded;
    }

    public async Task<IReadOnlyList<string>> ListSilentAsync(DateTimeOffset cutoffTime, CancellationToken cancellationToken)
    {
        long cutoff = cutoffTime.ToUnixTimeSeconds();
        var silent = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page = await _dynamo.ScanAsync(new ScanRequest
            {
                TableName = _devicesTable,
                ProjectionExpression = "#thing, #enabled, #at, #paired",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#thing"] = Attributes.Thing,
                    ["#enabled"] = Attributes.Enabled,
                    ["#at"] = Attributes.LastStatusAt,
                    ["#paired"] = Attributes.PairedAt,
                },
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (Dictionary<string, AttributeValue> item in page.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                if (!(item.TryGetValue(Attributes.Enabled, out AttributeValue? e) && e.BOOL == true))
                {
                    continue;
                }

                long lastHeard = item.TryGetValue(Attributes.LastStatusAt, out AttributeValue? at) && at.N != null
                    ? long.Parse(at.N, CultureInfo.InvariantCulture)
                    : item.TryGetValue(Attributes.PairedAt, out AttributeValue? p) && DateTimeOffset.TryParse(p.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset paired)
                        ? paired.ToUnixTimeSeconds()
                        : 0;
                if (lastHeard < cutoff)
                {
                    silent.Add(item[Attributes.Thing].S);
                }
            }

            start = page.LastEvaluatedKey;
        }
        while (start != null && start.Count > 0);
        return silent;
    }
}
