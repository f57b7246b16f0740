using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// A lunch rush while Step Functions misbehaves: faults of every kind are injected mid-run and every
/// failed invocation is retried, as Lambda does for the topic rule. No press may be lost and no
/// order answered twice.
/// </summary>
[Trait(Tier.Name, Tier.Outer)]
public sealed class FaultTests : GatewayTestBase
{
    private static readonly byte[] Secret = Convert.FromHexString("deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef");

    public FaultTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Faults_mid_run_lose_no_press_and_apply_none_twice(int seed)
    {
        const int Orders = 14;
        const int Presses = 12;
        var random = new Random(seed);
        var tokens = new List<string>();
        for (int i = 0; i < Orders; i++)
        {
            tokens.Add(await Gw.EnqueueOrderAsync("pizza", "ord-" + i));
        }

        Fault[] kinds = { Fault.Throttle, Fault.ServerError, Fault.ApplyThenServerError, Fault.Hang };
        long now = Gw.Now.ToUnixTimeSeconds();
        var results = new Dictionary<uint, PressOutcome>();
        int failedInvocations = 0;
        for (uint seq = 1; seq <= Presses; seq++)
        {
            if (random.Next(3) > 0)
            {
                Gw.Aws.InjectFaults(kinds[random.Next(kinds.Length)], random.Next(1, 5));
            }

            Press press = PressEvents.Signed("pizza-oven-1", Secret, 1, seq, now, seq % 5 == 0 ? PressKind.Long : PressKind.Short);
            for (int delivery = 0; delivery < 10 && !results.ContainsKey(seq); delivery++)
            {
                try
                {
                    results[seq] = await Gw.PressAsync(press);
                }
                catch (RetryLaterException)
                {
                    failedInvocations++;
                }
            }
        }

        // Every press got a final answer, each naming its own order.
        Assert.Equal(Presses, results.Count);
        Assert.All(results.Values, o => Assert.Contains(o.Result, new[] { PressResult.Resumed, PressResult.ProblemReported }));
        string[] orders = results.Values.Select(o => o.OrderId!).ToArray();
        Assert.Equal(Presses, orders.Distinct().Count());

        // Step Functions closed exactly one task per press, and only those tasks.
        int closed = tokens.Count(t => Gw.Aws.StateOf(t) is "success" or "failure");
        Assert.Equal(Presses, closed);
        Assert.Equal(Orders - Presses, await Gw.PendingAtAsync("pizza"));
        foreach (PressOutcome o in results.Values)
        {
            string token = tokens[int.Parse(o.OrderId!["ord-".Length..], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(o.Result == PressResult.Resumed ? "success" : "failure", Gw.Aws.StateOf(token));
        }

        Assert.True(failedInvocations > 0 || Gw.Aws.Answers.Count > Presses, "the run injected no fault that mattered");
    }
}
