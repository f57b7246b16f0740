using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// Every AWS call of a press, one at a time, failing each way a call really fails — its answer lost
/// after it was applied, or the invocation dying just before or just after it — with Lambda's
/// asynchronous retries (two, one and then two minutes apart) delivering the press again. Whatever
/// failed, the press settles within those deliveries, resumes its station's oldest order and only
/// that one, exactly once, and leaves nothing held that the next press would trip over.
/// </summary>
[Collection(DynaliteCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class FailedCallTests
{
    private const string Thing = "pizza-oven-1";
    private const string GetItem = "dynamodb:GetItem";
    private const string Query = "dynamodb:Query";
    private const string PutItem = "dynamodb:PutItem";
    private const string UpdateItem = "dynamodb:UpdateItem";
    private const string DeleteItem = "dynamodb:DeleteItem";
    private const string SendTaskSuccess = "states:SendTaskSuccess";
    private const string SendTaskFailure = "states:SendTaskFailure";
    private const string Publish = "iotdata:Publish";
    private static readonly byte[] Secret = Convert.FromHexString("3c3b3a393837363534333231302f2e2d2c2b2a292827262524232221201f1e1d");

    /// <summary>What waits at the station when the press comes.</summary>
    public enum Queue
    {
        /// <summary>Three orders, all waiting: the press answers the first.</summary>
        OldestWaiting,

        /// <summary>Three orders, the first one's task timed out in its workflow: the press drops its ticket and answers the second.</summary>
        OldestTimedOut,
    }

    private readonly DynaliteFixture _dynalite;

    public FailedCallTests(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    /// <summary>The calls of a short press, the first at its station, in order.</summary>
    private static string[] PressCalls(Queue queue) => queue == Queue.OldestWaiting
        ? new[]
        {
            GetItem, // the device
            GetItem, // its station
            Query, // the station's queue
            PutItem, // the ledger, with the claim it is about to make
            UpdateItem, // the claim
            SendTaskSuccess, // the answer
            DeleteItem, // the answered ticket
            UpdateItem, // the ledger's completion
            Publish, // the button's state
        }
        : new[]
        {
            GetItem,
            GetItem,
            Query,
            PutItem, // the ledger, with a claim on the first ticket
            UpdateItem, // the claim
            SendTaskSuccess, // answered TaskTimedOut
            DeleteItem, // the dead ticket
            UpdateItem, // the ledger's claim cleared
            UpdateItem, // the ledger's claim on the second ticket
            UpdateItem, // the claim
            SendTaskSuccess, // the answer
            DeleteItem, // the answered ticket
            UpdateItem, // the ledger's completion
            Publish,
        };

    public static IEnumerable<object[]> Cases() =>
        from queue in Enum.GetValues<Queue>()
        from call in Enumerable.Range(1, PressCalls(queue).Length)
        from failure in Enum.GetValues<CallFailure>()
        from kind in new[] { PressKind.Short, PressKind.Long }
        select new object[] { queue, call, failure, kind };

    [Theory]
    [InlineData(Queue.OldestWaiting)]
    [InlineData(Queue.OldestTimedOut)]
    public async Task A_first_press_makes_the_calls_the_failures_go_through(Queue queue)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        await ParkAsync(gw, queue);
        wire.Fail(0, CallFailure.AnswerLost);

        PressOutcome outcome = await gw.PressAsync(Press(gw, 1, PressKind.Short));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal(PressCalls(queue), wire.Calls);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_press_settles_once_within_Lambdas_retries_whichever_call_fails(Queue queue, int call, CallFailure failure, PressKind kind)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        string[] tokens = await ParkAsync(gw, queue);
        int answeredAt = queue == Queue.OldestWaiting ? 0 : 1;
        Press press = Press(gw, 1, kind);
        byte[] delivered = PressEvents.Event(press, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());

        wire.Fail(call, failure);
        PressOutcome? outcome = await DeliverOnLambdasScheduleAsync(gw, wire, delivered, servicesRefuse: failure == CallFailure.Throttled);

        Assert.True(wire.Fired, "call " + call + " was never made: " + string.Join(", ", wire.Calls));
        Assert.True(outcome != null, "the press was not settled within Lambda's " + LambdaDeliveries.Waits.Length + " deliveries");
        PressResult answered = kind == PressKind.Short ? PressResult.Resumed : PressResult.ProblemReported;
        Assert.Equal(answered, outcome!.Result);
        Assert.Equal("ord-" + (answeredAt + 1), outcome.OrderId);

        // The oldest live order was answered once, with the press's kind; the next one was not touched.
        Assert.Equal(kind == PressKind.Short ? "success" : "failure", gw.Aws.StateOf(tokens[answeredAt]));
        Assert.Single(gw.Aws.Answers, c => c.TaskToken == tokens[answeredAt] && c.Answer == "ok");
        Assert.Equal("waiting", gw.Aws.StateOf(tokens[answeredAt + 1]));
        Assert.DoesNotContain(gw.Aws.Answers, c => c.TaskToken == tokens[answeredAt + 1]);
        Assert.Equal(2 - answeredAt, await gw.PendingAtAsync("pizza"));

        // The button was told the outcome it got; unless its state message itself was throttled
        // away (a press never fails for the light), then when the button sends the press again.
        string told = gw.Aws.Publishes.LastOrDefault(p => p.Topic == StateMessage.Topic(Thing))?.Payload ?? "(nothing)";
        bool stateThrottled = failure == CallFailure.Throttled && call == PressCalls(queue).Length;
        Assert.Equal(!stateThrottled, told.Contains("\"" + answered.ToWire() + "\"", StringComparison.Ordinal));

        // Delivered once more, the press changes nothing and is told the same.
        PressOutcome again = await gw.PressAsync(press, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());
        Assert.True(again.Duplicate);
        Assert.Equal(answered, again.Result);
        Assert.Equal("waiting", gw.Aws.StateOf(tokens[answeredAt + 1]));
        Assert.Contains("\"" + answered.ToWire() + "\"", gw.Aws.Publishes.Last(p => p.Topic == StateMessage.Topic(Thing)).Payload, StringComparison.Ordinal);

        // Nothing is left held: the next press at the station resumes the next order at once.
        PressOutcome next = await gw.PressAsync(Press(gw, 2, PressKind.Short));
        Assert.Equal(PressResult.Resumed, next.Result);
        Assert.Equal("ord-" + (answeredAt + 2), next.OrderId);
        Assert.Equal(1 - answeredAt, await gw.PendingAtAsync("pizza"));
    }

    public static IEnumerable<object[]> RaceCases() =>
        from call in Enumerable.Range(1, PressCalls(Queue.OldestWaiting).Length)
        from failure in Enum.GetValues<CallFailure>()
        select new object[] { call, failure };

    [Theory]
    [MemberData(nameof(RaceCases))]
    public async Task A_press_from_another_button_between_the_deliveries_of_a_failing_one_answers_another_order(int call, CallFailure failure)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        await gw.PairAsync("pizza-oven-2", "pizza", Secret, createStation: false);
        string[] tokens = await ParkAsync(gw, Queue.OldestWaiting);
        Press failing = Press(gw, 1, PressKind.Short);
        byte[] delivered = PressEvents.Event(failing, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());

        wire.Fail(call, failure);
        PressOutcome? outcome = null;
        PressOutcome? other = null;
        foreach (TimeSpan wait in LambdaDeliveries.Waits)
        {
            if (other == null && wait > TimeSpan.Zero)
            {
                // Half a minute after the failing press's first delivery, the other button is pressed.
                TimeSpan between = TimeSpan.FromSeconds(30);
                gw.Clock.Advance(between);
                Assert.True(wire.Fired, "call " + call + " was never made: " + string.Join(", ", wire.Calls));
                other = await PressOtherAsync(gw);
                gw.Clock.Advance(wait - between);
            }
            else
            {
                gw.Clock.Advance(wait);
            }

            if ((outcome = await DeliverAsync(gw, wire, delivered, servicesRefuse: failure == CallFailure.Throttled)) != null)
            {
                break;
            }
        }

        other ??= await PressOtherAsync(gw);
        Assert.True(outcome != null, "the failing press was not settled within Lambda's " + LambdaDeliveries.Waits.Length + " deliveries");

        // The two presses answered the two oldest orders, one each, once each; the third waits.
        Assert.Equal(PressResult.Resumed, outcome!.Result);
        Assert.Equal(PressResult.Resumed, other.Result);
        Assert.Equal(new[] { "ord-1", "ord-2" }, new[] { outcome.OrderId, other.OrderId }.Order());
        Assert.All(tokens[..2], t => Assert.Single(gw.Aws.Answers, c => c.TaskToken == t && c.Answer == "ok"));
        Assert.Equal("waiting", gw.Aws.StateOf(tokens[2]));
        Assert.Equal(1, await gw.PendingAtAsync("pizza"));
    }

    public static IEnumerable<object[]> DeniedCases() =>
        from queue in Enum.GetValues<Queue>()
        from action in new[] { GetItem, Query, PutItem, UpdateItem, SendTaskSuccess, SendTaskFailure, DeleteItem, Publish }
        select new object[] { queue, action };

    /// <summary>
    /// A grant missing from the press handler's role (an edited role, a deploy that dropped it): every
    /// call of that action refused, in every delivery. The press is never lost while Lambda counts a
    /// success: each delivery fails, so it ends in the failure queue, having answered at most the
    /// order it was meant for, once; with the grant back, its replay settles it, that order answered
    /// exactly once, nothing left held. Only the button's state message is not worth a failure.
    /// </summary>
    [Theory]
    [MemberData(nameof(DeniedCases))]
    public async Task A_press_whose_call_iam_refuses_is_not_lost_and_its_replay_answers_once(Queue queue, string action)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        string[] tokens = await ParkAsync(gw, queue);
        int answeredAt = queue == Queue.OldestWaiting ? 0 : 1;
        PressKind kind = action == SendTaskFailure ? PressKind.Long : PressKind.Short;
        PressResult answered = kind == PressKind.Short ? PressResult.Resumed : PressResult.ProblemReported;
        Press press = Press(gw, 1, kind);
        byte[] delivered = PressEvents.Event(press, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());

        wire.Deny(action);
        PressOutcome? outcome = await DeliverOnLambdasScheduleAsync(gw, wire, delivered, servicesRefuse: true);

        Assert.Contains(action, wire.Calls);
        if (action == Publish)
        {
            // The press did its work; the light missed its message, counted, and the press is not failed for it.
            Assert.Equal(answered, outcome?.Result);
            Assert.Equal(1, gw.Telemetry.Total(KitchenButton.Gateway.Observability.MetricNames.StatePublishFailures));
        }
        else
        {
            Assert.True(outcome == null, "settled without " + action + ": " + outcome?.Result);
        }

        // Whatever landed before the refusal: at most the order meant for the press, once.
        Assert.True(gw.Aws.Answers.Count(c => c.TaskToken == tokens[answeredAt] && c.Answer == "ok") <= 1);
        Assert.Equal("waiting", gw.Aws.StateOf(tokens[answeredAt + 1]));

        // The grant is back; the operator replays the press from the failure queue two minutes later.
        wire.GrantAll();
        gw.Clock.Advance(TimeSpan.FromMinutes(2));
        PressOutcome replayed = await gw.Processor.ProcessAsync(delivered, CancellationToken.None);
        Assert.Equal(answered, replayed.Result);
        Assert.Equal("ord-" + (answeredAt + 1), replayed.OrderId);
        Assert.Single(gw.Aws.Answers, c => c.TaskToken == tokens[answeredAt] && c.Answer == "ok");
        Assert.Equal(kind == PressKind.Short ? "success" : "failure", gw.Aws.StateOf(tokens[answeredAt]));
        Assert.Equal("waiting", gw.Aws.StateOf(tokens[answeredAt + 1]));
        Assert.Contains("\"" + answered.ToWire() + "\"", gw.Aws.Publishes.Last(p => p.Topic == StateMessage.Topic(Thing)).Payload, StringComparison.Ordinal);

        // Nothing is left held: the next press at the station resumes the next order at once.
        PressOutcome next = await gw.PressAsync(Press(gw, 2, PressKind.Short));
        Assert.Equal(PressResult.Resumed, next.Result);
        Assert.Equal("ord-" + (answeredAt + 2), next.OrderId);
    }

    /// <summary>The event's deliveries on Lambda's schedule until one settles the press: its outcome, or null when none did.</summary>
    private static async Task<PressOutcome?> DeliverOnLambdasScheduleAsync(LocalGateway gw, WireFault wire, byte[] delivered, bool servicesRefuse)
    {
        foreach (TimeSpan wait in LambdaDeliveries.Waits)
        {
            gw.Clock.Advance(wait);
            if (await DeliverAsync(gw, wire, delivered, servicesRefuse) is { } outcome)
            {
                return outcome;
            }
        }

        return null;
    }

    /// <summary>
    /// One delivery of the event, as Lambda makes it: the press's outcome, or null when the invocation
    /// failed — on purpose, by dying, or for want of the services — and Lambda will deliver it again.
    /// </summary>
    private static async Task<PressOutcome?> DeliverAsync(LocalGateway gw, WireFault wire, byte[] delivered, bool servicesRefuse)
    {
        using var invocation = new CancellationTokenSource();
        wire.Invocation = invocation;
        try
        {
            return await gw.Processor.ProcessAsync(delivered, invocation.Token);
        }
        catch (RetryLaterException)
        {
            return null;
        }
        catch (Exception) when (invocation.IsCancellationRequested || servicesRefuse)
        {
            return null;
        }
        finally
        {
            // The invocation is over, and with it any throttling it met.
            wire.Invocation = null;
        }
    }

    private static Task<PressOutcome> PressOtherAsync(LocalGateway gw) =>
        gw.PressAsync(PressEvents.Signed("pizza-oven-2", Secret, 1, 1, gw.Now.ToUnixTimeSeconds()));

    /// <summary>Parks three orders at the station, the first one timed out if the queue says so; returns their tokens.</summary>
    private static async Task<string[]> ParkAsync(LocalGateway gw, Queue queue)
    {
        var tokens = new string[3];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = await gw.EnqueueOrderAsync("pizza", "ord-" + (i + 1));
        }

        if (queue == Queue.OldestTimedOut)
        {
            gw.Aws.TimeOut(tokens[0]);
        }

        return tokens;
    }

    private async Task<LocalGateway> ArrangeAsync(WireFault wire)
    {
        LocalGateway gw = await LocalGateway.CreateAsync(_dynalite.Dynalite, time: TestClock.Start(), wire: wire);
        await gw.PairAsync(Thing, "pizza", Secret);
        return gw;
    }

    private static Press Press(LocalGateway gw, uint seq, PressKind kind) =>
        PressEvents.Signed(Thing, Secret, 1, seq, gw.Now.ToUnixTimeSeconds(), kind);
}
