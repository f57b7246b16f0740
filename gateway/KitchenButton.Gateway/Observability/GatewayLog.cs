using Microsoft.Extensions.Logging;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// Every log event of the gateway, source-generated: a fixed message and its fields. Task tokens only
/// ever appear as <see cref="GatewayTelemetry.Fingerprint"/>, secrets never.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "press handled")]
    public static partial void PressHandled(ILogger logger, string? pressId, string? thing, string? station, string? order, string result, string? reason, string? detail, double latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "press rejected")]
    public static partial void PressRejected(ILogger logger, string? pressId, string? thing, string? station, string result, string? reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dead task token dropped")]
    public static partial void DeadTokenDropped(ILogger logger, string station, string order, string token, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "press not settled; it will be retried")]
    public static partial void PressNotSettled(ILogger logger, string pressId, string station, string order, string why, string claimKept);

    [LoggerMessage(Level = LogLevel.Warning, Message = "state message not published")]
    public static partial void StateMessageNotPublished(ILogger logger, string thing, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stream records skipped")]
    public static partial void StreamRecordsSkipped(ILogger logger, int unreadable, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "waiting count published")]
    public static partial void WaitingCountPublished(ILogger logger, string station, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "health report rejected")]
    public static partial void HealthReportRejected(ILogger logger, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "health report from a device that is not paired")]
    public static partial void HealthReportFromUnknownDevice(ILogger logger, string thing, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "health report superseded by a later one; not recorded")]
    public static partial void HealthReportSuperseded(ILogger logger, string thing, long receivedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "health report")]
    public static partial void HealthReport(ILogger logger, string thing, string firmware, uint boot, uint uptimeSeconds, uint freeMemory, int rssi, uint queuedPresses, string? lastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "button silent")]
    public static partial void ButtonSilent(ILogger logger, string thing, double silentForMoreThanSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ended execution not cleaned up")]
    public static partial void EndedExecutionNotCleanedUp(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ended execution cleaned up")]
    public static partial void EndedExecutionCleanedUp(ILogger logger, string execution, string status, string stations, int withdrawn);
}
