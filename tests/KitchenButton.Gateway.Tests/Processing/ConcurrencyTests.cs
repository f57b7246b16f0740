using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>Presses at one station from several devices at once, as concurrent Lambda invocations.</summary>
public sealed class ConcurrencyTests : GatewayTestBase
{
    private static readonly byte[] Secret = Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");

    public ConcurrencyTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        for (int d = 0; d < 4; d++)
        {
            await Gw.PairAsync("pass-" + d, "pass", Secret, createStation: d == 0);
        }
    }

    [Theory]
    [InlineData(12, 12)]
    [InlineData(12, 7)]
    [InlineData(5, 9)]
    public async Task N_presses_complete_each_waiting_order_exactly_once(int presses, int orders)
    {
        var tokens = new List<string>();
        for (int i = 0; i < orders; i++)
        {
            tokens.Add(await Gw.EnqueueOrderAsync("pass", "ord-" + i));
        }

        long now = Gw.Now.ToUnixTimeSeconds();
        PressOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, presses).Select(i =>
            Task.Run(() => Gw.PressAsync(PressEvents.Signed("pass-" + (i % 4), Secret, 1, (uint)(i + 1), now)))));

        int expectedResumed = Math.Min(presses, orders);
        Assert.Equal(expectedResumed, outcomes.Count(o => o.Result == PressResult.Resumed));
        Assert.Equal(presses - expectedResumed, outcomes.Count(o => o.Result == PressResult.NoPending));

        // Each resumed press names a different order, and the oldest orders are the ones resumed.
        string[] resumedOrders = outcomes.Where(o => o.OrderId != null).Select(o => o.OrderId!).ToArray();
        Assert.Equal(resumedOrders.Length, resumedOrders.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, expectedResumed).Select(i => "ord-" + i).OrderBy(x => x), resumedOrders.OrderBy(x => x));

        // Step Functions saw exactly one successful answer per resumed order and none twice.
        var successes = Gw.Aws.Answers.Where(c => c.Answer == "ok").Select(c => c.TaskToken).ToArray();
        Assert.Equal(expectedResumed, successes.Length);
        Assert.Equal(successes.Length, successes.Distinct().Count());
        Assert.DoesNotContain(Gw.Aws.Answers, c => c.Answer == "TaskTimedOut");
        Assert.Equal(orders - expectedResumed, await Gw.PendingAtAsync("pass"));
    }
}
