using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Health;

/// <summary>
/// Keeps each button's last health report on its device record and per-device metrics in
/// CloudWatch, and finds buttons that have gone silent, so operators see a button degrading before
/// a cook does. The silence check is a sweep (a schedule) because an alarm cannot fire on the
/// absence of a device it has never heard of.
/// </summary>
public sealed class DeviceHealthMonitor
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _devicesTable;
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _time;

    public DeviceHealthMonitor(IAmazonDynamoDB dynamo, string devicesTable, GatewayTelemetry telemetry, TimeProvider time)
    {
        _dynamo = dynamo;
        _devicesTable = devicesTable;
        _telemetry = telemetry;
        _time = time;
    }

    /// <summary>Records one status report; returns false (logged and counted) for a bad or unknown one.</summary>
    public async Task<bool> RecordAsync(ReadOnlyMemory<byte> statusEvent, CancellationToken cancellationToken)
    {
        DeviceStatusReport? report = DeviceStatusParser.Parse(statusEvent.Span, out string? problem);
        if (report == null)
        {
            _telemetry.Metric(MetricNames.StatusReportsRejected, 1, "Count", "Reason", "malformed");
            _telemetry.Warn("status report rejected", LogField.Of("reason", "malformed"), LogField.Of("detail", problem));
            return false;
        }

        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _devicesTable,
                Key = new Dictionary<string, AttributeValue> { [Attributes.Thing] = new() { S = report.Thing } },
                UpdateExpression = "SET #at = :at, #fw = :fw, #boot = :boot, #up = :up, #mem = :mem, #rssi = :rssi, #q = :q, #err = :err",
                ConditionExpression = "attribute_exists(#thing)",
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
            _telemetry.Metric(MetricNames.StatusReportsRejected, 1, "Count", "Reason", "unknown-device");
            _telemetry.Warn("status report from a device that is not paired", LogField.Of("thing", report.Thing), LogField.Of("reason", "unknown-device"));
            return false;
        }

        // Health stays on the device record and in this log line: a metric per button would be three
        // custom metrics per button (docs/cost.md), for figures an operator reads per button anyway.
        _telemetry.Info("status report", LogField.Of("thing", report.Thing), LogField.Of("firmware", report.Firmware), LogField.Of("boot", report.Boot),
            LogField.Of("uptimeSeconds", report.UptimeSeconds), LogField.Of("freeMemory", report.FreeMemoryBytes), LogField.Of("rssi", report.WifiRssi),
            LogField.Of("queuedPresses", report.QueuedPresses), LogField.Of("lastError", report.LastError.Length == 0 ? null : report.LastError));
        return true;
    }

    /// <summary>
    /// Counts enabled buttons not heard from for longer than <paramref name="silenceAfter"/> (a button
    /// that never reported counts from its pairing), emits the count and names each one in the log.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindSilentAsync(TimeSpan silenceAfter, CancellationToken cancellationToken)
    {
        long cutoff = (_time.GetUtcNow() - silenceAfter).ToUnixTimeSeconds();
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

        silent.Sort(StringComparer.Ordinal);
        foreach (string thing in silent)
        {
            _telemetry.Warn("button silent", LogField.Of("thing", thing), LogField.Of("silentForMoreThanSeconds", silenceAfter.TotalSeconds));
        }

        _telemetry.Metric(MetricNames.SilentButtons, silent.Count, "Count");
        return silent;
    }

}
