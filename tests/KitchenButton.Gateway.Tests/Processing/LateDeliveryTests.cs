using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// A press reaches the gateway late — Lambda retrying a failed invocation a minute or three later, a
/// backlog of events, a button that was offline sending the presses it kept — and an order has been
/// parked at the station meanwhile. The cook pressed for an order that was there when they pressed:
/// a late press never answers one parked after it was made.
/// </summary>
public sealed class LateDeliveryTests : GatewayTestBase
{
    private static readonly byte[] Secret = Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    public LateDeliveryTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    private Press Press(uint seq, long ts, bool queued = false) => PressEvents.Signed("pizza-oven-1", Secret, 1, seq, ts, queued: queued);

    [Fact]
    public async Task A_press_delivered_again_a_minute_later_answers_only_orders_parked_before_the_broker_had_it()
    {
        DateTimeOffset received = Gw.Now;
        string before = await Gw.EnqueueOrderAsync("pizza", "ord-before", parkedAt: received.AddSeconds(-10));
        Press first = Press(1, received.ToUnixTimeSeconds());
        Press second = Press(2, received.ToUnixTimeSeconds());

        // Both presses' first invocations failed; an order was parked half a minute later.
        Gw.Clock.Advance(TimeSpan.FromSeconds(30));
        string after = await Gw.EnqueueOrderAsync("pizza", "ord-after");
        Gw.Clock.Advance(TimeSpan.FromSeconds(30));

        PressOutcome one = await Gw.PressAsync(first, receivedAtMs: received.ToUnixTimeMilliseconds());
        PressOutcome two = await Gw.PressAsync(second, receivedAtMs: received.ToUnixTimeMilliseconds());

        Assert.Equal(PressResult.Resumed, one.Result);
        Assert.Equal("ord-before", one.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(before));
        Assert.Equal(PressResult.NoPending, two.Result);
        Assert.Equal("waiting", Gw.Aws.StateOf(after));

        // The button hears "nothing was waiting" with the count of what waits now.
        Assert.Contains("\"pending\":1", Gw.Aws.Publishes[^1].Payload, StringComparison.Ordinal);

        // A press made now is for it.
        PressOutcome now = await Gw.PressAsync(Press(3, Gw.Now.ToUnixTimeSeconds()));
        Assert.Equal("ord-after", now.OrderId);
    }

    [Fact]
    public async Task A_press_kept_offline_answers_only_orders_parked_by_its_own_time_and_the_clock_tolerance()
    {
        // The button went offline; the cook pressed three times at t; it reconnected two minutes later.
        DateTimeOffset t = Gw.Now;
        TimeSpan tolerance = new GatewayOptions().DeviceClockTolerance;
        string earlier = await Gw.EnqueueOrderAsync("pizza", "ord-earlier", parkedAt: t.AddSeconds(-30));

        // Within the press's whole second and the device clock's tolerance: it may be what the cook saw.
        string within = await Gw.EnqueueOrderAsync("pizza", "ord-within", parkedAt: t + TimeSpan.FromSeconds(1) + tolerance);
        string later = await Gw.EnqueueOrderAsync("pizza", "ord-later", parkedAt: t + TimeSpan.FromSeconds(1) + tolerance + TimeSpan.FromMilliseconds(1));
        Gw.Clock.Advance(TimeSpan.FromMinutes(2));
        long receivedAtMs = Gw.Now.ToUnixTimeMilliseconds();

        PressOutcome[] outcomes =
        {
            await Gw.PressAsync(Press(1, t.ToUnixTimeSeconds(), queued: true), receivedAtMs: receivedAtMs),
            await Gw.PressAsync(Press(2, t.ToUnixTimeSeconds(), queued: true), receivedAtMs: receivedAtMs),
            await Gw.PressAsync(Press(3, t.ToUnixTimeSeconds(), queued: true), receivedAtMs: receivedAtMs),
        };

        Assert.Equal(new[] { "ord-earlier", "ord-within", null }, Array.ConvertAll(outcomes, o => o.OrderId));
        Assert.Equal(PressResult.NoPending, outcomes[2].Result);
        Assert.Equal("success", Gw.Aws.StateOf(earlier));
        Assert.Equal("success", Gw.Aws.StateOf(within));
        Assert.Equal("waiting", Gw.Aws.StateOf(later));

        // The same press sent at once (not kept) is dated by the broker's receipt instead.
        PressOutcome sent = await Gw.PressAsync(Press(4, t.ToUnixTimeSeconds()), receivedAtMs: receivedAtMs);
        Assert.Equal("ord-later", sent.OrderId);
    }

    [Fact]
    public async Task A_ticket_parked_before_tickets_were_dated_is_answered_as_before()
    {
        DateTimeOffset received = Gw.Now;
        Press press = Press(1, received.ToUnixTimeSeconds());
        Gw.Clock.Advance(TimeSpan.FromMinutes(1));
        string undated = await Gw.EnqueueOrderAsync("pizza", "ord-undated");
        QueryResponse found = await Gw.Composition.Dynamo.QueryAsync(new QueryRequest
        {
            TableName = Gw.Tables.Tickets,
            KeyConditionExpression = "stationId = :s",
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "pizza" } },
        });
        Dictionary<string, AttributeValue> ticket = Assert.Single(found.Items);
        ticket.Remove(Attributes.ParkedAt);
        await Gw.Composition.Dynamo.PutItemAsync(new PutItemRequest { TableName = Gw.Tables.Tickets, Item = ticket });

        PressOutcome outcome = await Gw.PressAsync(press, receivedAtMs: received.ToUnixTimeMilliseconds());

        Assert.Equal("ord-undated", outcome.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(undated));
    }
}
