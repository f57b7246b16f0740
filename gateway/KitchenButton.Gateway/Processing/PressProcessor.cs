using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Answers;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Turns one press event into at most one Step Functions callback: verify, deduplicate, claim the
/// station's oldest waiting order, answer it, tell the button. gateway/README.md ("What a press goes
/// through") and docs/data-model.md give the reasoning behind each step.
/// </summary>
public sealed class PressProcessor
{
    public const string ProblemError = "Kitchen.PrepProblem";

    private readonly IDeviceDirectory _directory;
    private readonly ITicketStore _pending;
    private readonly IPressLedger _ledger;
    private readonly ITaskAnswers _answers;
    private readonly IDeviceStatePublisher _publisher;
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly GatewayOptions _options;

    public PressProcessor(
        IDeviceDirectory directory,
        ITicketStore pending,
        IPressLedger ledger,
        ITaskAnswers answers,
        IDeviceStatePublisher publisher,
        GatewayTelemetry telemetry,
        TimeProvider time,
        GatewayOptions options)
    {
        options.Validate();
        _directory = directory;
        _pending = pending;
        _ledger = ledger;
        _answers = answers;
        _publisher = publisher;
        _telemetry = telemetry;
        _time = time;
        _options = options;
    }

    /// <summary>Handles one press event within the invocation's time, the options' <see cref="GatewayOptions.InvocationTime"/> from now.</summary>
    public Task<PressOutcome> ProcessAsync(ReadOnlyMemory<byte> eventJson, CancellationToken cancellationToken)
    {
        return ProcessAsync(eventJson, _time.GetUtcNow() + _options.InvocationTime, cancellationToken);
    }

    /// <summary>
    /// Handles one press event. Every AWS call ends before <paramref name="deadline"/> less the
    /// finishing reserve; an answer is sent only when a whole answer still fits. Throws
    /// <see cref="RetryLaterException"/> (Lambda retries the invocation) whenever the press's fate
    /// is not settled yet; returns only when it is.
    /// </summary>
    public async Task<PressOutcome> ProcessAsync(ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TimeSpan working = deadline - _options.FinishReserve - _time.GetUtcNow();
        using var budget = new CancellationTokenSource(working > TimeSpan.Zero ? working : TimeSpan.Zero, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await ProcessWithinAsync(eventJson, deadline, linked.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RetryLaterException("the invocation ran out of time before the press was settled");
        }
    }

    private async Task<PressOutcome> ProcessWithinAsync(ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        PressParseResult parsed = PressEventParser.Parse(eventJson.Span);
        if (!parsed.IsValid)
        {
            return Reject(parsed.Reason!.Value, parsed.Detail!, null, null);
        }

        PressEnvelope envelope = parsed.Envelope!;
        (PressOutcome? refused, Station? station) = await VerifyAsync(envelope, cancellationToken);
        return refused ?? await SettleAsync(envelope, station!, deadline, cancellationToken);
    }

    /// <summary>
    /// Who pressed: the body's thing is the broker's, paired, enabled, at a station that exists, and
    /// the press is signed with its secret. A refusal, or the press's station.
    /// </summary>
    private async Task<(PressOutcome? Refused, Station? Station)> VerifyAsync(PressEnvelope envelope, CancellationToken cancellationToken)
    {
        Press press = envelope.Press;

        // The broker vouches for the topic and the client id (the IoT policy binds both to the
        // certificate's thing); the body must agree with them.
        if (press.Thing != envelope.TopicThing || press.Thing != envelope.ClientId)
        {
            return (Reject(RejectReason.ThingMismatch, "body thing differs from topic or client id", press, null), null);
        }

        PairedDevice? device = await _directory.FindDeviceAsync(press.Thing, cancellationToken);
        if (device == null)
        {
            return (Reject(RejectReason.UnknownDevice, "thing is not paired", press, null), null);
        }

        if (!device.Enabled)
        {
            return (await RejectAndTellAsync(RejectReason.DeviceDisabled, "device is disabled", press, device.StationId, cancellationToken), null);
        }

        Station? station = await _directory.FindStationAsync(device.StationId, cancellationToken);
        if (station == null)
        {
            return (await RejectAndTellAsync(RejectReason.UnknownStation, "station of the device does not exist", press, device.StationId, cancellationToken), null);
        }

        if (!PressSignature.IsValid(press, device.Secret))
        {
            return (await RejectAndTellAsync(RejectReason.BadSignature, "signature does not match", press, station.StationId, cancellationToken), null);
        }

        return (null, station);
    }

    /// <summary>A verified press: entered in the ledger once, then its earlier claim settled or the station's oldest ticket answered.</summary>
    private async Task<PressOutcome> SettleAsync(PressEnvelope envelope, Station station, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        Press press = envelope.Press;

        // A fresh press reads its station's queue first, so the ledger's first write already records
        // the ticket it is about to claim (one call fewer); a stale one may still be a retry resuming
        // its own claim, which only the ledger knows.
        DateTimeOffset now = _time.GetUtcNow();
        RejectReason? staleness = CheckFreshness(press, envelope.ReceivedAt);
        DateTimeOffset parkedBy = ParkedBy(envelope);
        StationQueue? queue = staleness == null ? await _pending.ReadAsync(station.StationId, press.Id, parkedBy, now, cancellationToken) : null;
        Ticket? intended = queue != null && queue.Claimable.Count > 0 ? queue.Claimable[0] : null;
        string owner = Guid.NewGuid().ToString("N");
        LedgerEntry entry = await _ledger.BeginAsync(press.Id, press.Thing, press.Signature, owner, now, _options.LedgerLease, cancellationToken, intended);
        PressOutcome? settledBefore = await OutcomeOfLedgerEntryAsync(press, station, entry, staleness, now, cancellationToken);
        if (settledBefore != null)
        {
            return settledBefore;
        }

        _telemetry.Metric(MetricNames.PressesAccepted, 1, "Count");
        var turn = new PressTurn(envelope, station, owner, deadline, parkedBy);
        if (entry.Claim != null)
        {
            PressOutcome? settled = await SettleEarlierClaimAsync(turn, entry.Claim, cancellationToken);
            if (settled != null)
            {
                return settled;
            }
        }

        return await AnswerOldestAsync(turn, queue, entry.IsNew ? intended : null, cancellationToken);
    }

    /// <summary>What the ledger already decides for this press (reused id, duplicate, held elsewhere, stale), or null to go on.</summary>
    private async Task<PressOutcome?> OutcomeOfLedgerEntryAsync(Press press, Station station, LedgerEntry entry, RejectReason? staleness, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entry.Status == LedgerStatus.Reused)
        {
            // The same id, a different press: the board's boot counter went back. Answering with the
            // old press's result would tell the cook something that did not happen.
            return await RejectAndTellAsync(RejectReason.PressIdReused, "press id already used by a different press", press, station.StationId, cancellationToken);
        }

        if (entry.Status == LedgerStatus.Completed)
        {
            return await AnswerDuplicateAsync(press, station.StationId, entry, cancellationToken);
        }

        if (entry.Status == LedgerStatus.InProgress)
        {
            // Another invocation holds it now. Returning would be a success without an effect if
            // that invocation then dies: fail, and let Lambda's retry find the press settled.
            _telemetry.Metric(MetricNames.DuplicatePresses, 1, "Count");
            throw new RetryLaterException("press " + press.Id + " is being handled by another invocation");
        }

        // A retry resuming its own claim skips the freshness check: the press was fresh when accepted.
        if (entry.Claim == null && staleness != null)
        {
            await _ledger.CompleteAsync(press.Id, PressResult.Rejected, null, now, cancellationToken);
            return await RejectAndTellAsync(staleness.Value, "ts is outside the accepted window", press, station.StationId, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// Settles the task an earlier attempt of this press claimed: answered again if it still waits,
    /// or looked up in Step Functions' own record if it is gone. Null when the press has yet to
    /// answer an order (the claim is then cleared).
    /// </summary>
    private async Task<PressOutcome?> SettleEarlierClaimAsync(PressTurn turn, ClaimedTask claim, CancellationToken cancellationToken)
    {
        Press press = turn.Envelope.Press;
        Ticket? task = await _pending.ClaimAsync(turn.Station.StationId, claim.QueueKey, claim.TaskToken, press.Id, _time.GetUtcNow(), _options.ClaimLease, cancellationToken);
        if (task != null)
        {
            return await AnswerClaimedAsync(turn, task, earlierAnswerSent: true, cancellationToken);
        }

        // Gone (answered and removed, timed out, withdrawn) or now held by another press: only the
        // execution's history says whether this press's earlier answer is the one that closed it.
        if (await AnsweredByThisPressAsync(press, claim.ExecutionArn, cancellationToken))
        {
            return await FinishAsync(turn, SuccessResult(press), claim.OrderId, cancellationToken);
        }

        await _ledger.ClearClaimAsync(press.Id, cancellationToken);
        return null;
    }

    /// <summary>
    /// Answers the station's oldest task this press can claim, skipping dead ones however many there
    /// are; "nothing pending" only when a fresh read of the queue has nothing claimable.
    /// </summary>
    /// <param name="queue">A read of the queue made for this press, or null to read it now.</param>
    /// <param name="recorded">The task the ledger already records as this press's claim, if any.</param>
    private async Task<PressOutcome> AnswerOldestAsync(PressTurn turn, StationQueue? queue, Ticket? recorded, CancellationToken cancellationToken)
    {
        Press press = turn.Envelope.Press;
        while (true)
        {
            queue ??= await _pending.ReadAsync(turn.Station.StationId, press.Id, turn.ParkedBy, _time.GetUtcNow(), cancellationToken);
            if (queue.Claimable.Count == 0)
            {
                _telemetry.Metric(MetricNames.NoPending, 1, "Count");
                turn.Waiting = queue.Waiting;
                turn.Removed = 0;
                return await FinishAsync(turn, PressResult.NoPending, null, cancellationToken);
            }

            turn.Waiting = queue.Waiting;
            turn.Removed = 0;
            foreach (Ticket candidate in queue.Claimable)
            {
                if (!ReferenceEquals(candidate, recorded))
                {
                    await _ledger.RecordClaimAsync(press.Id, candidate, cancellationToken);
                    recorded = candidate;
                }

                Ticket? task = await _pending.ClaimAsync(turn.Station.StationId, candidate.QueueKey, candidate.TaskToken, press.Id, _time.GetUtcNow(), _options.ClaimLease, cancellationToken);
                if (task == null)
                {
                    // Taken by another press since the read, or gone: try the next one.
                    continue;
                }

                PressOutcome? settled = await AnswerClaimedAsync(turn, task, earlierAnswerSent: false, cancellationToken);
                if (settled != null)
                {
                    return settled;
                }
            }

            queue = null;
        }
    }

    /// <summary>
    /// Answers a task this press holds. Returns the outcome once the press is settled, or null when
    /// the task turned out dead (removed, claim cleared: the caller moves on to the next one). Throws
    /// <see cref="RetryLaterException"/> when the answer did not land or may have: the claim is then
    /// kept if it may have landed, and released only if it certainly did not.
    /// </summary>
    private async Task<PressOutcome?> AnswerClaimedAsync(PressTurn turn, Ticket task, bool earlierAnswerSent, CancellationToken cancellationToken)
    {
        Press press = turn.Envelope.Press;
        Station station = turn.Station;
        string owner = turn.Owner;
        if (turn.Deadline - _options.FinishReserve - _time.GetUtcNow() < _options.AnswerBudget)
        {
            // Not enough time for a whole answer: send nothing rather than be cut off mid-answer.
            await GiveBackAsync(press, station, task, owner, keepClaim: earlierAnswerSent, "no time left for an answer");
            throw new RetryLaterException("no time left to answer " + press.Id + " within this invocation");
        }

        try
        {
            await AnswerAsync(press, station, task, cancellationToken);
        }
        catch (TaskAnswerException e) when (e.Kind == AnswerFailureKind.DeadToken)
        {
            if ((earlierAnswerSent || e.AfterUncertainAttempt) && await AnsweredByThisPressAsync(press, task.ExecutionArn, cancellationToken))
            {
                // Closed by this press's own earlier answer: settled, never a second order.
                await _pending.RemoveAsync(station.StationId, task.QueueKey, task.TaskToken, press.Id, cancellationToken);
                turn.Removed++;
                return await FinishAsync(turn, SuccessResult(press), task.OrderId, cancellationToken);
            }

            await _pending.RemoveAsync(station.StationId, task.QueueKey, task.TaskToken, press.Id, cancellationToken);
            turn.Removed++;
            await _ledger.ClearClaimAsync(press.Id, cancellationToken);
            _telemetry.Metric(MetricNames.DeadTokens, 1, "Count", "ErrorCode", e.ErrorCode);
            if (e.ErrorCode == "InvalidToken")
            {
                _telemetry.Metric(MetricNames.InvalidTokens, 1, "Count");
            }

            GatewayLog.DeadTokenDropped(_telemetry.Logger, station.StationId, task.OrderId, GatewayTelemetry.Fingerprint(task.TaskToken), e.ErrorCode);
            return null;
        }
        catch (TaskAnswerException e)
        {
            _telemetry.Metric(MetricNames.AnswerFailures, 1, "Count", "ErrorCode", e.ErrorCode);
            bool mayHaveLanded = earlierAnswerSent || e.Kind == AnswerFailureKind.OutcomeUnknown;
            await GiveBackAsync(press, station, task, owner, keepClaim: mayHaveLanded, e.Kind + " " + e.ErrorCode);
            throw new RetryLaterException("Step Functions did not take the answer for " + press.Id + ": " + e.ErrorCode, e);
        }

        await _pending.RemoveAsync(station.StationId, task.QueueKey, task.TaskToken, press.Id, cancellationToken);
        turn.Removed++;
        double latency = (_time.GetUtcNow() - turn.Envelope.ReceivedAt).TotalMilliseconds;
        _telemetry.Metric(MetricNames.PressToAnswerLatency, Math.Max(0, latency), "Milliseconds");
        _telemetry.Metric(press.Kind == PressKind.Short ? MetricNames.OrdersResumed : MetricNames.ProblemsReported, 1, "Count");
        return await FinishAsync(turn, SuccessResult(press), task.OrderId, cancellationToken);
    }

    /// <summary>
    /// Whether this press's answer is in the execution's history. A ticket written before the
    /// workflow stored its execution cannot be looked up: its removal then still means it was
    /// answered (the old rule), the only reading that never answers a second order.
    /// </summary>
    private async Task<bool> AnsweredByThisPressAsync(Press press, string? executionArn, CancellationToken cancellationToken)
    {
        if (executionArn == null)
        {
            return true;
        }

        try
        {
            return await _answers.WasAnsweredByAsync(executionArn, press.Id, cancellationToken);
        }
        catch (TaskAnswerException e)
        {
            _telemetry.Metric(MetricNames.AnswerFailures, 1, "Count", "ErrorCode", e.ErrorCode);
            throw new RetryLaterException("could not read the history of " + executionArn + ": " + e.ErrorCode, e);
        }
    }

    private Task AnswerAsync(Press press, Station station, Ticket task, CancellationToken cancellationToken)
    {
        if (press.Kind == PressKind.Short)
        {
            return _answers.SendTaskSuccessAsync(task.TaskToken, SuccessOutput(press, station, task), cancellationToken);
        }

        string cause = "Prep problem reported at station '" + station.StationId + "' by button '" + press.Thing + "' (press " + press.Id + ")";
        return _answers.SendTaskFailureAsync(task.TaskToken, ProblemError, cause, cancellationToken);
    }

    /// <summary>
    /// Lets a retry take over at once. The claim on the task (pending item and ledger) is kept when
    /// an answer may have landed, so the retry settles that same task; it is released only when
    /// nothing was delivered.
    /// </summary>
    private async Task GiveBackAsync(Press press, Station station, Ticket task, string owner, bool keepClaim, string why)
    {
        GatewayLog.PressNotSettled(_telemetry.Logger, press.Id, station.StationId, task.OrderId, why, keepClaim ? "yes" : "no");

        // Clean-up runs even if the invocation is being cancelled: it is what the retry relies on.
        if (!keepClaim)
        {
            await _ledger.ClearClaimAsync(press.Id, CancellationToken.None);
            await _pending.ReleaseAsync(station.StationId, task.QueueKey, press.Id, CancellationToken.None);
        }

        await _ledger.ReleaseLeaseAsync(press.Id, owner, CancellationToken.None);
    }

    /// <summary>
    /// The latest a ticket may have been parked for this press to answer it: a press cannot be meant
    /// for an order that reached the station after it was made, however late it is delivered (a
    /// Lambda retry, a backlog of events). For a press sent at once that is the broker's receipt. One
    /// that waited offline in the device's outbox was made earlier, at its own time: the end of its
    /// whole second, with the device clock's tolerance.
    /// </summary>
    private DateTimeOffset ParkedBy(PressEnvelope envelope)
    {
        if (!envelope.Press.Queued)
        {
            return envelope.ReceivedAt;
        }

        DateTimeOffset made = PressedAt(envelope.Press) + TimeSpan.FromSeconds(1) + _options.DeviceClockTolerance;
        return made < envelope.ReceivedAt ? made : envelope.ReceivedAt;
    }

    private RejectReason? CheckFreshness(Press press, DateTimeOffset receivedAt)
    {
        DateTimeOffset pressedAt = PressedAt(press);
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

    private async Task<PressOutcome> FinishAsync(PressTurn turn, PressResult result, string? orderId, CancellationToken cancellationToken)
    {
        Press press = turn.Envelope.Press;
        await _ledger.CompleteAsync(press.Id, result, orderId, _time.GetUtcNow(), cancellationToken);
        var outcome = new PressOutcome(result, null, null, press.Id, press.Thing, turn.Station.StationId, orderId);
        await TellAsync(press, turn.Station.StationId, result, orderId, turn.WaitingNow, cancellationToken);
        LogOutcome(outcome, turn.Envelope);
        return outcome;
    }

    private async Task<PressOutcome> AnswerDuplicateAsync(Press press, string stationId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        _telemetry.Metric(MetricNames.DuplicatePresses, 1, "Count");
        PressResult result = entry.Result ?? PressResult.Duplicate;

        // The button may have missed the first answer (it was offline): say it again.
        await TellAsync(press, stationId, result, entry.OrderId, null, cancellationToken);
        var outcome = new PressOutcome(result, null, "press already handled", press.Id, press.Thing, stationId, entry.OrderId, Duplicate: true);
        LogOutcome(outcome, null);
        return outcome;
    }

    private PressOutcome Reject(RejectReason reason, string detail, Press? press, string? stationId)
    {
        _telemetry.Metric(MetricNames.PressesRejected, 1, "Count", "Reason", reason.ToWire());
        var outcome = new PressOutcome(PressResult.Rejected, reason, detail, press?.Id, press?.Thing, stationId);
        LogOutcome(outcome, null);
        return outcome;
    }

    private async Task<PressOutcome> RejectAndTellAsync(RejectReason reason, string detail, Press press, string stationId, CancellationToken cancellationToken)
    {
        PressOutcome outcome = Reject(reason, detail, press, stationId);
        await TellAsync(press, stationId, PressResult.Rejected, null, null, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Publishes the button's state; a failure here is logged, never fails the press. The count is the
    /// press's own read of the queue less what it removed when it has one, else a fresh count (the
    /// notifier corrects it on the next change either way).
    /// </summary>
    private async Task TellAsync(Press press, string stationId, PressResult result, string? orderId, int? waiting, CancellationToken cancellationToken)
    {
        try
        {
            int pending = waiting ?? await _pending.CountAsync(stationId, _time.GetUtcNow(), cancellationToken);
            await _publisher.PublishStateAsync(press.Thing, StateMessage.WithResult(pending, press.Boot, press.Seq, result, orderId), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _telemetry.Metric(MetricNames.StatePublishFailures, 1, "Count");
            GatewayLog.StateMessageNotPublished(_telemetry.Logger, press.Thing, e.GetType().Name + ": " + e.Message);
        }
    }

    private void LogOutcome(PressOutcome o, PressEnvelope? envelope)
    {
        double latency = envelope == null ? -1 : (_time.GetUtcNow() - envelope.ReceivedAt).TotalMilliseconds;
        if (o.Result == PressResult.Rejected)
        {
            GatewayLog.PressRejected(_telemetry.Logger, o.PressId, o.Thing, o.StationId, o.Result.ToWire(), o.Reason?.ToWire(), o.Detail);
        }
        else
        {
            GatewayLog.PressHandled(_telemetry.Logger, o.PressId, o.Thing, o.StationId, o.OrderId, o.Result.ToWire(), o.Reason?.ToWire(), o.Detail, Math.Round(latency, 1));
        }
    }

    /// <summary>One press's attempt at an order: what it needs throughout and what it has done to the queue.</summary>
    private sealed class PressTurn
    {
        public PressTurn(PressEnvelope envelope, Station station, string owner, DateTimeOffset deadline, DateTimeOffset parkedBy)
        {
            Envelope = envelope;
            Station = station;
            Owner = owner;
            Deadline = deadline;
            ParkedBy = parkedBy;
        }

        public PressEnvelope Envelope { get; }

        public Station Station { get; }

        /// <summary>This invocation's id in the ledger.</summary>
        public string Owner { get; }

        public DateTimeOffset Deadline { get; }

        /// <summary>The latest a ticket may have been parked for this press to answer it.</summary>
        public DateTimeOffset ParkedBy { get; }

        /// <summary>Orders waiting at the station when the press last read its queue; null before any read.</summary>
        public int? Waiting { get; set; }

        /// <summary>Tickets this press removed since that read (answered or dead).</summary>
        public int Removed { get; set; }

        public int? WaitingNow => Waiting is int w ? Math.Max(0, w - Removed) : null;
    }

    /// <summary>The press's own time, the start of the whole second it was made in.</summary>
    private static DateTimeOffset PressedAt(Press press) => DateTimeOffset.FromUnixTimeSeconds(Math.Min(press.Timestamp, 253402300799));

    private static PressResult SuccessResult(Press press) => press.Kind == PressKind.Short ? PressResult.Resumed : PressResult.ProblemReported;

    private static string SuccessOutput(Press press, Station station, Ticket task)
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

            // How a retry recognises its own answer in the execution history.
            json.WriteString("pressId", press.Id);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
