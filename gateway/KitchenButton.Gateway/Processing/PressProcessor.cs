using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Callbacks;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Turns one press event into at most one Step Functions callback: verify, deduplicate, claim the
/// station's oldest waiting order, answer it, tell the button. See docs/gateway.md for the reasoning
/// behind each step.
/// </summary>
public sealed class PressProcessor
{
    public const string ProblemError = "Kitchen.PrepProblem";

    private readonly IDeviceDirectory _directory;
    private readonly IPendingTaskStore _pending;
    private readonly IPressLedger _ledger;
    private readonly ITaskCallbacks _callbacks;
    private readonly IDeviceStatePublisher _publisher;
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly GatewayOptions _options;

    public PressProcessor(
        IDeviceDirectory directory,
        IPendingTaskStore pending,
        IPressLedger ledger,
        ITaskCallbacks callbacks,
        IDeviceStatePublisher publisher,
        GatewayTelemetry telemetry,
        TimeProvider time,
        GatewayOptions options)
    {
        options.Validate();
        _directory = directory;
        _pending = pending;
        _ledger = ledger;
        _callbacks = callbacks;
        _publisher = publisher;
        _telemetry = telemetry;
        _time = time;
        _options = options;
    }

    public async Task<PressOutcome> ProcessAsync(ReadOnlyMemory<byte> eventJson, CancellationToken cancellationToken)
    {
        PressParseResult parsed = PressEventParser.Parse(eventJson.Span);
        if (!parsed.IsValid)
        {
            return Reject(parsed.Reason!, parsed.Detail!, null, null);
        }

        PressEnvelope envelope = parsed.Envelope!;
        Press press = envelope.Press;

        // The broker vouches for the topic and the client id (the IoT policy binds both to the
        // certificate's thing); the body must agree with them.
        if (press.Thing != envelope.TopicThing || press.Thing != envelope.ClientId)
        {
            return Reject(RejectReason.ThingMismatch, "body thing differs from topic or client id", press, null);
        }

        PairedDevice? device = await _directory.FindDeviceAsync(press.Thing, cancellationToken);
        if (device == null)
        {
            return Reject(RejectReason.UnknownDevice, "thing is not paired", press, null);
        }

        if (!device.Enabled)
        {
            return await RejectAndTellAsync(RejectReason.DeviceDisabled, "device is disabled", press, device.StationId, cancellationToken);
        }

        Station? station = await _directory.FindStationAsync(device.StationId, cancellationToken);
        if (station == null)
        {
            return await RejectAndTellAsync(RejectReason.UnknownStation, "station of the device does not exist", press, device.StationId, cancellationToken);
        }

        if (!PressSignature.IsValid(press, device.Secret))
        {
            return await RejectAndTellAsync(RejectReason.BadSignature, "signature does not match", press, station.StationId, cancellationToken);
        }

        DateTimeOffset now = _time.GetUtcNow();
        LedgerEntry entry = await _ledger.BeginAsync(press.Id, press.Thing, now, _options.LedgerLease, cancellationToken);
        if (entry.Status == LedgerStatus.Completed)
        {
            return await AnswerDuplicateAsync(press, station.StationId, entry, cancellationToken);
        }

        if (entry.Status == LedgerStatus.InProgress)
        {
            _telemetry.Metric(MetricNames.DuplicatePresses, 1, "Count");
            var busy = new PressOutcome(PressResult.Duplicate, "in-progress", "another invocation is handling this press", press.Id, press.Thing, station.StationId, Duplicate: true);
            LogOutcome(busy, envelope);
            return busy;
        }

        // A retry resuming its own claim skips the freshness check: the press was fresh when accepted.
        if (entry.ClaimedQueueKey == null)
        {
            string? staleness = CheckFreshness(press, envelope.ReceivedAt);
            if (staleness != null)
            {
                await _ledger.CompleteAsync(press.Id, PressResult.Rejected, null, now, cancellationToken);
                return await RejectAndTellAsync(staleness, "ts is outside the accepted window", press, station.StationId, cancellationToken);
            }
        }

        _telemetry.Metric(MetricNames.PressesAccepted, 1, "Count");
        return await ResumeAsync(envelope, station, entry, cancellationToken);
    }

    private async Task<PressOutcome> ResumeAsync(PressEnvelope envelope, Station station, LedgerEntry entry, CancellationToken cancellationToken)
    {
        Press press = envelope.Press;
        string? resumeKey = entry.ClaimedQueueKey;
        bool earlierAnswerMayHaveLanded = entry.AnswerMayHaveLanded;
        for (int deadTokens = 0; deadTokens < _options.MaxDeadTokensPerPress;)
        {
            DateTimeOffset now = _time.GetUtcNow();
            PendingTask? task;
            if (resumeKey != null)
            {
                task = await _pending.ClaimAsync(station.StationId, resumeKey, press.Id, now, _options.ClaimLease, cancellationToken);
                if (task == null)
                {
                    // A task is removed only after a definitive answer, and a dead one's claim is cleared
                    // from the ledger before moving on: so the earlier attempt answered this one.
                    return await FinishAsync(envelope, station.StationId, SuccessResult(press), entry.ClaimedOrderId, cancellationToken);
                }
            }
            else
            {
                task = await _pending.ClaimOldestAsync(station.StationId, press.Id, now, _options.ClaimLease, cancellationToken);
                if (task == null)
                {
                    _telemetry.Metric(MetricNames.NoPending, 1, "Count");
                    return await FinishAsync(envelope, station.StationId, PressResult.NoPending, null, cancellationToken);
                }

                await _ledger.RecordClaimAsync(press.Id, task.QueueKey, task.OrderId, cancellationToken);
            }

            try
            {
                await AnswerAsync(press, station, task, cancellationToken);
            }
            catch (TaskCallbackException e) when (e.Kind == CallbackFailureKind.DeadToken)
            {
                await _pending.RemoveAsync(station.StationId, task.QueueKey, press.Id, cancellationToken);
                if (resumeKey != null && earlierAnswerMayHaveLanded)
                {
                    // Our earlier answer may well be what closed this task: never answer a second
                    // order for the same press.
                    _telemetry.Warn("token closed after an answer of unknown outcome; counted as answered",
                        LogField.Of("pressId", press.Id), LogField.Of("order", task.OrderId), LogField.Of("error", e.ErrorCode));
                    return await FinishAsync(envelope, station.StationId, SuccessResult(press), task.OrderId, cancellationToken);
                }

                deadTokens++;
                _telemetry.Metric(MetricNames.DeadTokens, 1, "Count", "ErrorCode", e.ErrorCode);
                if (e.ErrorCode == "InvalidToken")
                {
                    _telemetry.Metric(MetricNames.InvalidTokens, 1, "Count");
                }

                _telemetry.Warn("dead task token dropped", LogField.Of("station", station.StationId), LogField.Of("order", task.OrderId),
                    LogField.Of("token", GatewayTelemetry.Fingerprint(task.TaskToken)), LogField.Of("error", e.ErrorCode));
                await _ledger.ClearClaimAsync(press.Id, cancellationToken);
                resumeKey = null;
                earlierAnswerMayHaveLanded = false;
                continue;
            }
            catch (TaskCallbackException e)
            {
                await GiveBackAsync(press, station, task, e, cancellationToken);
                throw new RetryLaterException("Step Functions did not take the answer for " + press.Id + ": " + e.ErrorCode, e);
            }

            await _pending.RemoveAsync(station.StationId, task.QueueKey, press.Id, cancellationToken);
            double latency = (_time.GetUtcNow() - envelope.ReceivedAt).TotalMilliseconds;
            _telemetry.Metric(MetricNames.PressToCallbackLatency, Math.Max(0, latency), "Milliseconds");
            _telemetry.Metric(press.Kind == PressKind.Short ? MetricNames.OrdersResumed : MetricNames.ProblemsReported, 1, "Count");
            return await FinishAsync(envelope, station.StationId, SuccessResult(press), task.OrderId, cancellationToken);
        }

        _telemetry.Error("too many dead task tokens at the station; press answered as nothing pending",
            LogField.Of("station", station.StationId), LogField.Of("pressId", press.Id), LogField.Of("limit", _options.MaxDeadTokensPerPress));
        return await FinishAsync(envelope, station.StationId, PressResult.NoPending, null, cancellationToken, "too-many-dead-tokens");
    }

    private Task AnswerAsync(Press press, Station station, PendingTask task, CancellationToken cancellationToken)
    {
        if (press.Kind == PressKind.Short)
        {
            return _callbacks.SendTaskSuccessAsync(task.TaskToken, SuccessOutput(press, station, task), cancellationToken);
        }

        string cause = "Prep problem reported at station '" + station.StationId + "' by button '" + press.Thing + "' (press " + press.Id + ")";
        return _callbacks.SendTaskFailureAsync(task.TaskToken, ProblemError, cause, cancellationToken);
    }

    /// <summary>Undoes this invocation's hold on the press and its task so a retry can resume them.</summary>
    private async Task GiveBackAsync(Press press, Station station, PendingTask task, TaskCallbackException e, CancellationToken cancellationToken)
    {
        _telemetry.Metric(MetricNames.CallbackFailures, 1, "Count", "ErrorCode", e.ErrorCode);
        _telemetry.Error("callback failed; press will be retried", LogField.Of("pressId", press.Id), LogField.Of("station", station.StationId),
            LogField.Of("order", task.OrderId), LogField.Of("error", e.ErrorCode), LogField.Of("kind", e.Kind.ToString()));

        // Cleanup must happen even if the invocation is being cancelled.
        if (e.Kind == CallbackFailureKind.Transient)
        {
            await _ledger.MarkAnswerMayHaveLandedAsync(press.Id, CancellationToken.None);
        }

        await _pending.ReleaseAsync(station.StationId, task.QueueKey, press.Id, CancellationToken.None);
        await _ledger.ReleaseLeaseAsync(press.Id, CancellationToken.None);
    }

    private string? CheckFreshness(Press press, DateTimeOffset receivedAt)
    {
        DateTimeOffset pressedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(press.Timestamp, 253402300799));
        if (pressedAt > receivedAt + _options.MaxFutureSkew)
        {
            return RejectReason.FromTheFuture;
        }

        // ts has whole seconds: allow the second the press was made in.
        if (pressedAt + TimeSpan.FromSeconds(1) < receivedAt - _options.MaxAge)
        {
            return RejectReason.Stale;
        }

        return null;
    }

    private async Task<PressOutcome> FinishAsync(PressEnvelope envelope, string stationId, string result, string? orderId, CancellationToken cancellationToken, string? reason = null)
    {
        Press press = envelope.Press;
        await _ledger.CompleteAsync(press.Id, result, orderId, _time.GetUtcNow(), cancellationToken);
        var outcome = new PressOutcome(result, reason, null, press.Id, press.Thing, stationId, orderId);
        await TellAsync(press, stationId, result, orderId, cancellationToken);
        LogOutcome(outcome, envelope);
        return outcome;
    }

    private async Task<PressOutcome> AnswerDuplicateAsync(Press press, string stationId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        _telemetry.Metric(MetricNames.DuplicatePresses, 1, "Count");
        string result = entry.Result ?? PressResult.Duplicate;

        // The button may have missed the first answer (it was offline): say it again.
        await TellAsync(press, stationId, result, entry.OrderId, cancellationToken);
        var outcome = new PressOutcome(result, "duplicate", "press already handled", press.Id, press.Thing, stationId, entry.OrderId, Duplicate: true);
        LogOutcome(outcome, null);
        return outcome;
    }

    private PressOutcome Reject(string reason, string detail, Press? press, string? stationId)
    {
        _telemetry.Metric(MetricNames.PressesRejected, 1, "Count", "Reason", reason);
        var outcome = new PressOutcome(PressResult.Rejected, reason, detail, press?.Id, press?.Thing, stationId);
        LogOutcome(outcome, null);
        return outcome;
    }

    private async Task<PressOutcome> RejectAndTellAsync(string reason, string detail, Press press, string stationId, CancellationToken cancellationToken)
    {
        PressOutcome outcome = Reject(reason, detail, press, stationId);
        await TellAsync(press, stationId, PressResult.Rejected, null, cancellationToken);
        return outcome;
    }

    /// <summary>Publishes the button's state; a failure here is logged, never fails the press.</summary>
    private async Task TellAsync(Press press, string stationId, string result, string? orderId, CancellationToken cancellationToken)
    {
        try
        {
            int pending = await _pending.CountAsync(stationId, _time.GetUtcNow(), cancellationToken);
            await _publisher.PublishStateAsync(press.Thing, StateMessage.WithResult(pending, press.Boot, press.Seq, result, orderId), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _telemetry.Metric(MetricNames.StatePublishFailures, 1, "Count");
            _telemetry.Warn("state message not published", LogField.Of("thing", press.Thing), LogField.Of("error", e.GetType().Name + ": " + e.Message));
        }
    }

    private void LogOutcome(PressOutcome o, PressEnvelope? envelope)
    {
        double latency = envelope == null ? -1 : (_time.GetUtcNow() - envelope.ReceivedAt).TotalMilliseconds;
        var fields = new[]
        {
            LogField.Of("pressId", o.PressId),
            LogField.Of("thing", o.Thing),
            LogField.Of("station", o.StationId),
            LogField.Of("order", o.OrderId),
            LogField.Of("result", o.Result),
            LogField.Of("reason", o.Reason),
            LogField.Of("detail", o.Detail),
            LogField.Of("latencyMs", Math.Round(latency, 1)),
        };
        if (o.Result == PressResult.Rejected)
        {
            _telemetry.Warn("press rejected", fields);
        }
        else
        {
            _telemetry.Info("press handled", fields);
        }
    }

    private static string SuccessResult(Press press) => press.Kind == PressKind.Short ? PressResult.Resumed : PressResult.ProblemReported;

    private static string SuccessOutput(Press press, Station station, PendingTask task)
    {
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("orderId", task.OrderId);
            json.WriteString("station", station.StationId);
            json.WriteString("thing", press.Thing);
            json.WriteString("pressedAt", DateTimeOffset.FromUnixTimeSeconds(press.Timestamp).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteString("action", "ready");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
