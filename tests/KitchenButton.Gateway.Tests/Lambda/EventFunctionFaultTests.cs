using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Lambda;

/// <summary>
/// The functions other than the press handler (FailedCallTests sweeps that one) under the faults AWS
/// really produces, each call of each in turn. Refused by IAM (a grant missing from the role): the
/// invocation fails, so its event is delivered again and finally lands in the function's failure
/// queue; never a success without its effect, nor counted as bad input; with the grant back, the same
/// event does its work. Its answer lost, the invocation dying around it, the services throttling: the
/// event does its work within its source's deliveries, once, touching nothing else.
/// </summary>
[Collection(DynaliteCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class EventFunctionFaultTests
{
    private const string Thing = "pizza-1";
    private const string Order = "ord-1";

    private readonly DynaliteFixture _dynalite;

    public EventFunctionFaultTests(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    /// <summary>What each function calls, in order, for its event below.</summary>
    private static readonly Dictionary<string, string[]> CallsOf = new()
    {
        [nameof(Functions.NotifierAsync)] = new[] { "dynamodb:Query", "dynamodb:Query", "iotdata:Publish" }, // the queue's count, the station's buttons, the count to each
        [nameof(Functions.StatusAsync)] = new[] { "dynamodb:UpdateItem" }, // the report onto the device record
        [nameof(Functions.SilentButtonSweepAsync)] = new[] { "dynamodb:Scan" }, // the enabled devices
        [nameof(Functions.OrderCleanupAsync)] = new[] { "dynamodb:Query", "dynamodb:DeleteItem" }, // the station's tickets, the ended order's withdrawn
    };

    public static IEnumerable<object[]> Entries() => CallsOf.Keys.Select(f => new object[] { f });

    public static IEnumerable<object[]> Refusals() =>
        from f in CallsOf
        from action in f.Value.Distinct()
        select new object[] { f.Key, action };

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task Each_function_makes_the_calls_the_refusals_go_through(string function)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);

        string result = await InvokeAsync(gw, function);

        Assert.Equal(Done(function), result);
        Assert.Equal(CallsOf[function], wire.Calls);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_call_fails_the_invocation_and_the_event_again_does_its_work_once_granted(string function, string action)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        wire.Deny(action);

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => InvokeAsync(gw, function));

        Assert.Contains(action, wire.Calls);
        Assert.Contains(action.StartsWith("iotdata:", StringComparison.Ordinal) ? "ForbiddenException" : "is not authorized to perform: " + action, refused.Message, StringComparison.Ordinal);
        foreach (string badInput in new[] { MetricNames.HealthReportsRejected, MetricNames.CleanupEventsUnreadable, MetricNames.StreamRecordsUnreadable })
        {
            Assert.Equal(0, gw.Telemetry.Total(badInput));
        }

        // The grant is back. Nothing the refused call was for happened: no ticket withdrawn, no
        // report recorded, no count told; the event, delivered again, does what it is for.
        wire.GrantAll();
        Assert.Equal(1, await gw.PendingAtAsync("pizza"));
        Assert.False(await HasStatusAsync(gw));
        Assert.Empty(gw.Aws.Publishes);
        Assert.Equal(Done(function), await InvokeAsync(gw, function));
        Assert.Equal(function == nameof(Functions.OrderCleanupAsync) ? 0 : 1, await gw.PendingAtAsync("pizza"));
        Assert.Equal(function == nameof(Functions.StatusAsync), await HasStatusAsync(gw));
        if (function == nameof(Functions.NotifierAsync))
        {
            Assert.Equal("{\"pending\":1}", Assert.Single(gw.Aws.Publishes).Payload);
        }
    }

    public static IEnumerable<object[]> Faults() =>
        from f in CallsOf
        from call in Enumerable.Range(1, f.Value.Length)
        from failure in Enum.GetValues<CallFailure>()
        select new object[] { f.Key, call, failure };

    /// <summary>
    /// Each call of each function failing each way a call really fails (its answer lost after it was
    /// applied, the invocation dying just before or after it, the services throttling), with the event
    /// delivered again on Lambda's schedule as its source does: within those deliveries the function
    /// does its work, once, and touches nothing else.
    /// </summary>
    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Whichever_call_fails_however_the_event_does_its_work_within_its_deliveries(string function, int call, CallFailure failure)
    {
        var wire = new WireFault();
        await using LocalGateway gw = await ArrangeAsync(wire);
        await gw.EnqueueOrderAsync("pizza", "ord-2", timeout: TimeSpan.FromHours(2));
        byte[] delivered = Event(gw, function);
        wire.Fail(call, failure);

        bool done = false;
        foreach (TimeSpan wait in LambdaDeliveries.Waits)
        {
            gw.Clock.Advance(wait);
            using var invocation = new System.Threading.CancellationTokenSource();
            wire.Invocation = invocation;
            try
            {
                await new Functions(gw.Composition).InvokeAsync(function, delivered, deadline: null);
                done = true;
                break;
            }
            catch (Exception)
            {
                // The invocation failed; its source delivers the event again.
            }
            finally
            {
                wire.Invocation = null;
            }
        }

        Assert.True(wire.Fired, "call " + call + " was never made: " + string.Join(", ", wire.Calls));
        Assert.True(done, "the event did not succeed within its deliveries");

        // Its work, and nothing else: the other order's ticket stays; no bad input counted.
        Assert.Equal(function == nameof(Functions.OrderCleanupAsync) ? 1 : 2, await gw.PendingAtAsync("pizza"));
        Assert.Equal(function == nameof(Functions.StatusAsync), await HasStatusAsync(gw));
        if (function == nameof(Functions.NotifierAsync))
        {
            Assert.Equal("{\"pending\":2}", gw.Aws.Publishes.Last().Payload);
        }

        foreach (string badInput in new[] { MetricNames.HealthReportsRejected, MetricNames.CleanupEventsUnreadable, MetricNames.StreamRecordsUnreadable })
        {
            Assert.Equal(0, gw.Telemetry.Total(badInput));
        }
    }

    /// <summary>The function's answer when its event did its work.</summary>
    private static string Done(string function) => function switch
    {
        nameof(Functions.NotifierAsync) => "{\"published\":1}",
        nameof(Functions.StatusAsync) => "{\"recorded\":true}",
        nameof(Functions.SilentButtonSweepAsync) => "{\"silent\":[\"" + Thing + "\"]}",
        _ => "{\"withdrawn\":1}",
    };

    /// <summary>A button paired at its station an hour ago and silent since, one order parked there; the call log cleared.</summary>
    private async Task<LocalGateway> ArrangeAsync(WireFault wire)
    {
        LocalGateway gw = await LocalGateway.CreateAsync(_dynalite.Dynalite, time: TestClock.Start(), wire: wire);
        await gw.PairAsync(Thing, "pizza", new byte[32]);
        await gw.EnqueueOrderAsync("pizza", Order, timeout: TimeSpan.FromHours(2));
        gw.Clock.Advance(TimeSpan.FromHours(1));
        wire.Fail(0, CallFailure.AnswerLost);
        return gw;
    }

    private static async Task<string> InvokeAsync(LocalGateway gw, string function)
    {
        byte[] answer = await new Functions(gw.Composition).InvokeAsync(function, Event(gw, function), deadline: null);
        return Encoding.UTF8.GetString(answer);
    }

    /// <summary>Each function's event as its AWS source delivers it.</summary>
    private static byte[] Event(LocalGateway gw, string function) => Encoding.UTF8.GetBytes(function switch
    {
        nameof(Functions.NotifierAsync) => "{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-1\","
            + "\"dynamodb\":{\"Keys\":{\"stationId\":{\"S\":\"pizza\"},\"queueKey\":{\"S\":\"2026-11-25T12:00:00.000Z#" + Order + "\"}},\"SequenceNumber\":\"1\",\"SizeBytes\":60,\"StreamViewType\":\"KEYS_ONLY\"}}]}",
        nameof(Functions.StatusAsync) => "{\"v\":1,\"fw\":\"1.2.0\",\"boot\":42,\"uptime\":3600,\"freeMem\":81234,\"rssi\":-61,\"queued\":0,\"topicThing\":\"" + Thing
            + "\",\"receivedAt\":" + gw.Now.ToUnixTimeMilliseconds() + "}",
        nameof(Functions.SilentButtonSweepAsync) => "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}",
        _ => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["source"] = "aws.states",
            ["detail-type"] = "Step Functions Execution Status Change",
            ["detail"] = new Dictionary<string, string>
            {
                ["executionArn"] = LocalGateway.ExecutionOf(Order),
                ["status"] = "ABORTED",
                ["input"] = "{\"orderId\":\"" + Order + "\",\"station\":\"pizza\"}",
            },
        }),
    });

    private static async Task<bool> HasStatusAsync(LocalGateway gw)
    {
        var item = await gw.Composition.Dynamo.GetItemAsync(gw.Tables.Devices, new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["thing"] = new() { S = Thing } });
        return item.Item.ContainsKey("lastStatusAt");
    }
}
