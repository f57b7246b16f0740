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
public sealed class FailedCallTests
{
    private const string Thing = "pizza-oven-1";
    private static readonly byte[] Secret = Convert.FromHexString("3c3b3a393837363534333231302f2e2d2c2b2a292827262524232221201f1e1d");

    /// <summary>The calls of a first press at a station with orders waiting, in order.</summary>
    private static readonly string[] PressCalls =
    {
        "DynamoDB_20120810.GetItem", // the device
        "DynamoDB_20120810.GetItem", // its station
        "DynamoDB_20120810.Query", // the station's queue
        "DynamoDB_20120810.PutItem", // the ledger, with the claim it is about to make
        "DynamoDB_20120810.UpdateItem", // the claim
        "AWSStepFunctions.SendTaskSuccess", // the answer
        "DynamoDB_20120810.DeleteItem", // the answered ticket
        "DynamoDB_20120810.UpdateItem", // the ledger's completion
        "POST /topics/" + Uri.EscapeDataString(StateMessage.Topic(Thing)), // the button's state
    };

    /// <summary>Lambda's waits before each delivery of an asynchronous event: the first, then its two retries.</summary>
    private static readonly TimeSpan[] Deliveries = { TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2) };

    private readonly DynaliteFixture _dynalite;

    public FailedCallTests(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    public static IEnumerable<object[]> Cases() =>
        from call in Enumerable.Range(1, PressCalls.Length)
        from failure in Enum.GetValues<CallFailure>()
        from kind in new[] { PressKind.Short, PressKind.Long }
        select new object[] { call, failure, kind };

    [Fact]
    public async Task A_first_press_makes_the_calls_the_failures_go_through()
    {
        var wire = new WireFault();
        await using GatewayHarness gw = await ArrangeAsync(wire);
        await gw.EnqueueOrderAsync("pizza", "ord-1");
        await gw.EnqueueOrderAsync("pizza", "ord-2");
        wire.Fail(0, CallFailure.AnswerLost);

        PressOutcome outcome = await gw.PressAsync(Press(gw, 1, PressKind.Short));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal(PressCalls, wire.Calls);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_press_settles_once_within_Lambdas_retries_whichever_call_fails(int call, CallFailure failure, PressKind kind)
    {
        var wire = new WireFault();
        await using GatewayHarness gw = await ArrangeAsync(wire);
        string first = await gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(gw, 1, kind);
        byte[] delivered = PressEvents.Event(press, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());

        wire.Fail(call, failure);
        PressOutcome? outcome = null;
        foreach (TimeSpan wait in Deliveries)
        {
            gw.Clock.Advance(wait);
            using var invocation = new CancellationTokenSource();
            wire.Invocation = invocation;
            try
            {
                outcome = await gw.Processor.ProcessAsync(delivered, invocation.Token);
                break;
            }
            catch (RetryLaterException)
            {
                // The invocation failed on purpose: Lambda delivers the event again.
            }
            catch (Exception) when (invocation.IsCancellationRequested || failure == CallFailure.Throttled)
            {
                // The invocation died, or failed for want of the services: an error to Lambda, which
                // delivers the event again.
            }
        }

        // The last invocation is over, and with it any throttling it met.
        wire.Invocation = null;
        Assert.True(wire.Fired, "call " + call + " (" + PressCalls[call - 1] + ") was never made: " + string.Join(", ", wire.Calls));
        Assert.True(outcome != null, "the press was not settled within Lambda's " + Deliveries.Length + " deliveries");
        PressResult answered = kind == PressKind.Short ? PressResult.Resumed : PressResult.ProblemReported;
        Assert.Equal(answered, outcome!.Result);
        Assert.Equal("ord-1", outcome.OrderId);

        // The oldest order was answered once, with the press's kind; the next one was not touched.
        Assert.Equal(kind == PressKind.Short ? "success" : "failure", gw.Aws.StateOf(first));
        Assert.Single(gw.Aws.Callbacks, c => c.TaskToken == first && c.Answer == "ok");
        Assert.Equal("waiting", gw.Aws.StateOf(second));
        Assert.DoesNotContain(gw.Aws.Callbacks, c => c.TaskToken == second);
        Assert.Equal(1, await gw.PendingAtAsync("pizza"));

        // The button was told the outcome it got; unless its state message itself was throttled
        // away (a press never fails for the light), then when the button sends the press again.
        string told = gw.Aws.Publishes.LastOrDefault(p => p.Topic == StateMessage.Topic(Thing))?.Payload ?? "(nothing)";
        bool stateThrottled = failure == CallFailure.Throttled && call == PressCalls.Length;
        Assert.Equal(!stateThrottled, told.Contains("\"" + answered.ToWire() + "\"", StringComparison.Ordinal));

        // Delivered once more, the press changes nothing and is told the same.
        PressOutcome again = await gw.PressAsync(press, receivedAtMs: gw.Now.ToUnixTimeMilliseconds());
        Assert.True(again.Duplicate);
        Assert.Equal(answered, again.Result);
        Assert.Equal("waiting", gw.Aws.StateOf(second));
        Assert.Contains("\"" + answered.ToWire() + "\"", gw.Aws.Publishes.Last(p => p.Topic == StateMessage.Topic(Thing)).Payload, StringComparison.Ordinal);

        // Nothing is left held: the next press at the station resumes the next order at once.
        PressOutcome next = await gw.PressAsync(Press(gw, 2, PressKind.Short));
        Assert.Equal(PressResult.Resumed, next.Result);
        Assert.Equal("ord-2", next.OrderId);
        Assert.Equal(0, await gw.PendingAtAsync("pizza"));
    }

    private async Task<GatewayHarness> ArrangeAsync(WireFault wire)
    {
        GatewayHarness gw = await GatewayHarness.CreateAsync(_dynalite.Dynalite, wire: wire);
        await gw.PairAsync(Thing, "pizza", Secret);
        return gw;
    }

    private static Press Press(GatewayHarness gw, uint seq, PressKind kind) =>
        PressEvents.Signed(Thing, Secret, 1, seq, gw.Now.ToUnixTimeSeconds(), kind);
}
