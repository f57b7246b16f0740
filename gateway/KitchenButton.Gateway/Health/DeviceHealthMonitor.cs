using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;

namespace KitchenButton.Gateway.Health;

/// <summary>
/// Keeps each button's last health report on its device record and in the log (no metric per
/// button: docs/cost.md), and finds buttons that have gone silent, so operators see a button degrading before
/// a cook does. The silence check is a sweep (a schedule) because an alarm cannot fire on the
/// absence of a device it has never heard of.
/// </summary>
public sealed class DeviceHealthMonitor
{
    private readonly IDeviceHealthStore _store;
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _time;

    public DeviceHealthMonitor(IDeviceHealthStore store, GatewayTelemetry telemetry, TimeProvider time)
    {
        _store = store;
        _telemetry = telemetry;
        _time = time;
    }

    /// <summary>Records one health report; returns false (logged and counted) for a bad or unknown one.</summary>
    public async Task<bool> RecordAsync(ReadOnlyMemory<byte> statusEvent, CancellationToken cancellationToken)
    {
        HealthReport? report = HealthReportParser.Parse(statusEvent.Span, out string? problem);
        if (report == null)
        {
            _telemetry.Metric(MetricNames.HealthReportsRejected, 1, "Count", "Reason", "malformed");
            GatewayLog.HealthReportRejected(_telemetry.Logger, "malformed", problem);
            return false;
        }

        HealthRecordResult result = await _store.RecordAsync(report, cancellationToken);
        if (result == HealthRecordResult.UnknownDevice)
        {
            _telemetry.Metric(MetricNames.HealthReportsRejected, 1, "Count", "Reason", "unknown-device");
            GatewayLog.HealthReportFromUnknownDevice(_telemetry.Logger, report.Thing, "unknown-device");
            return false;
        }

        if (result == HealthRecordResult.Superseded)
        {
            // A good report, only late: not bad input, and the newer one on the record is what counts.
            GatewayLog.HealthReportSuperseded(_telemetry.Logger, report.Thing, report.ReceivedAt.ToUnixTimeMilliseconds());
            return false;
        }

        // Health stays on the device record and in this log line: a metric per button would be three
        // custom metrics per button (docs/cost.md), for figures an operator reads per button anyway.
        GatewayLog.HealthReport(_telemetry.Logger, report.Thing, report.Firmware, report.Boot, report.UptimeSeconds, report.FreeMemoryBytes, report.WifiRssi,
            report.QueuedPresses, report.LastError.Length == 0 ? null : report.LastError);
        return true;
    }

    /// <summary>
    /// Counts enabled buttons not heard from for longer than <paramref name="silenceAfter"/> (a button
    /// that never reported counts from its pairing), emits the count and names each one in the log.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindSilentAsync(TimeSpan silenceAfter, CancellationToken cancellationToken)
    {
        List<string> silent = new(await _store.ListSilentAsync(_time.GetUtcNow() - silenceAfter, cancellationToken));
        silent.Sort(StringComparer.Ordinal);
        foreach (string thing in silent)
        {
            GatewayLog.ButtonSilent(_telemetry.Logger, thing, silenceAfter.TotalSeconds);
        }

        _telemetry.Metric(MetricNames.SilentButtons, silent.Count, "Count");
        return silent;
    }
}
