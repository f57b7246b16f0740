using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Answers;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// The faults that broke "one press, one effect" (issue 9), each reproduced against dynalite and the
/// loopback Step Functions endpoint: a press has its effect once, a rejection, or a failed invocation
/// that Lambda retries; never a success without an effect, never two effects, never another press's.
/// </summary>
public sealed class ExactlyOnceTests : GatewayTestBase
{
    private static readonly byte[] Secret = Convert.FromHexString("0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000");

    public ExactlyOnceTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    private Press Press(uint seq, uint boot = 1, long? ts = null, PressKind kind = PressKind.Short) =>
        PressEvents.Signed("pizza-oven-1", Secret, boot, seq, ts ?? Gw.Now.ToUnixTimeSeconds(), kind);

    /// <summary>The gateway's processor, with Step Functions reached through <paramref name="wrap"/>.</summary>
    private PressProcessor ProcessorWith(Func<ITaskAnswers, ITaskAnswers> wrap) => new(
        Gw.Directory, Gw.Pending, new DynamoPressLedger(Gw.Composition.DynamoJson, Gw.Tables.PressLedger),
        wrap(Gw.Composition.Answers), Gw.Composition.Publisher, Gw.Telemetry, Gw.Clock, new GatewayOptions());

    [Fact]
    public async Task An_invocation_that_dies_after_its_answer_landed_resumes_no_second_order()
    {
        // Finding 1: the retry claimed the same task, heard TaskTimedOut, took the token for dead
        // and resumed the next order. Now the execution history says the answer was this press's.
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        PressProcessor dying = ProcessorWith(inner => new DieAfterAnswer(inner));
        await Assert.ThrowsAsync<InvocationDied>(() => dying.ProcessAsync(PressEvents.Event(press, receivedAtMs: Gw.Now.ToUnixTimeMilliseconds()), CancellationToken.None));
        Assert.Equal("success", Gw.Aws.StateOf(first));

        // Lambda retries after the dead invocation's ledger lease ran out.
        Gw.Clock.Advance(TimeSpan.FromSeconds(61));
        PressOutcome retried = await Gw.PressAsync(press, receivedAtMs: Gw.Now.ToUnixTimeMilliseconds());

        Assert.Equal(PressResult.Resumed, retried.Result);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
        Assert.Equal(0, Gw.Telemetry.Total(MetricNames.DeadTokens));
    }

    [Fact]
    public async Task A_press_held_by_another_live_invocation_fails_instead_of_reporting_success()
    {
        // Finding 2: BeginAsync answered IN_PROGRESS and the press was answered as a duplicate:
        // had that other invocation died, the press would be lost while Lambda saw success.
        string order = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Press press = Press(1);
        var ledger = new DynamoPressLedger(Gw.Composition.DynamoJson, Gw.Tables.PressLedger);
        await ledger.BeginAsync(press.Id, press.Thing, press.Signature, "another-invocation", Gw.Now, TimeSpan.FromSeconds(60), CancellationToken.None);

        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));
        Assert.Equal("waiting", Gw.Aws.StateOf(order));

        // The other invocation died; Lambda's retry after its lease settles the press.
        Gw.Clock.Advance(TimeSpan.FromSeconds(61));
        PressOutcome retried = await Gw.PressAsync(press, receivedAtMs: Gw.Now.ToUnixTimeMilliseconds() - 61_000);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(order));
    }

    [Fact]
    public async Task A_retry_never_reports_another_presss_answer_as_its_own()
    {
        // Finding 3: the first answer was refused (throttled: it certainly did not land), the claim
        // went back, another press took that order; the retry found the task gone and said "resumed".
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        Gw.Aws.InjectFaults(Fault.Throttle, 3);
        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));

        PressOutcome other = await Gw.PressAsync(Press(2));
        Assert.Equal("ord-1", other.OrderId);

        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal("ord-2", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(first));
        Assert.Equal("success", Gw.Aws.StateOf(second));
    }

    [Fact]
    public async Task After_an_unknown_outcome_and_a_lapsed_claim_the_history_decides_whose_answer_closed_the_task()
    {
        // 5xx throughout (not applied); the claim is kept, but the retry comes after the claim lease,
        // when another press has answered that order. Only the history can tell: not ours.
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        Gw.Aws.InjectFaults(Fault.ServerError, 3);
        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));

        Gw.Clock.Advance(TimeSpan.FromMinutes(6));
        long now = Gw.Now.ToUnixTimeMilliseconds();
        PressOutcome other = await Gw.PressAsync(Press(2));
        Assert.Equal("ord-1", other.OrderId);

        PressOutcome retried = await Gw.PressAsync(press, receivedAtMs: now);
        Assert.Equal(PressResult.Resumed, retried.Result);
        Assert.Equal("ord-2", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(second));
        Assert.Equal(1, Gw.Aws.Requests("POST", "/history"));
    }

    [Fact]
    public async Task Throttling_is_a_definite_non_delivery_and_a_task_that_timed_out_meanwhile_is_not_reported()
    {
        // Finding 4: a throttled answer counted as "may have landed"; the retry then reported
        // "resumed" for an order that had timed out meanwhile.
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        Gw.Aws.InjectFaults(Fault.Throttle, 3);
        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));
        Gw.Aws.TimeOut(first);

        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal("ord-2", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(second));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.DeadTokens, "TaskTimedOut"));
        Assert.Equal(0, await Gw.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task A_press_id_reused_after_the_boot_counter_went_back_is_refused_with_its_reason()
    {
        // Finding 5: the new press got the old press's result; the LED said "resumed", nothing happened.
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press original = Press(1);
        PressOutcome first = await Gw.PressAsync(original);
        Assert.Equal("ord-1", first.OrderId);

        Gw.Clock.Advance(TimeSpan.FromMinutes(3));
        PressOutcome reused = await Gw.PressAsync(Press(1, ts: Gw.Now.ToUnixTimeSeconds()), receivedAtMs: Gw.Now.ToUnixTimeMilliseconds());
        Assert.Equal(PressResult.Rejected, reused.Result);
        Assert.Equal(RejectReason.PressIdReused, reused.Reason);
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.PressesRejected, RejectReason.PressIdReused.ToWire()));
        Assert.Contains("\"result\":\"rejected\"", Gw.Aws.Retained("cmd/kitchenbutton/pizza-oven-1/state"));

        // The same press delivered again is still a duplicate, answered with its first result.
        PressOutcome again = await Gw.PressAsync(original, receivedAtMs: Gw.Now.ToUnixTimeMilliseconds());
        Assert.True(again.Duplicate);
        Assert.Equal("ord-1", again.OrderId);
    }

    [Fact]
    public async Task With_no_time_left_for_a_whole_answer_nothing_is_sent_and_the_claim_goes_back()
    {
        string order = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Press press = Press(1);
        // The harness answers within 3 attempts of 1 s plus backoff (5 s) and keeps 3 s to finish: 6 s is too little.
        DateTimeOffset deadline = Gw.Now + TimeSpan.FromSeconds(6);

        await Assert.ThrowsAsync<RetryLaterException>(() =>
            Gw.Processor.ProcessAsync(PressEvents.Event(press, receivedAtMs: Gw.Now.ToUnixTimeMilliseconds()), deadline, CancellationToken.None));
        Assert.Empty(Gw.Aws.Answers);

        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(order));
    }

    /// <summary>Thrown where the process would have died: after Step Functions took the answer.</summary>
    private sealed class InvocationDied : Exception
    {
    }

    private sealed class DieAfterAnswer : ITaskAnswers
    {
        private readonly ITaskAnswers _inner;

        public DieAfterAnswer(ITaskAnswers inner)
        {
            _inner = inner;
        }

        public async Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken)
        {
            await _inner.SendTaskSuccessAsync(taskToken, outputJson, cancellationToken);
            throw new InvocationDied();
        }

        public async Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken)
        {
            await _inner.SendTaskFailureAsync(taskToken, error, cause, cancellationToken);
            throw new InvocationDied();
        }

        public Task<bool> WasAnsweredByAsync(string executionArn, string pressId, CancellationToken cancellationToken) =>
            _inner.WasAnsweredByAsync(executionArn, pressId, cancellationToken);
    }
}
