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

/// <summary>What a press costs in AWS calls, counted on the wire (the bench prints the same figures).</summary>
public sealed class RoundTripTests : GatewayTestBase
{
    private static readonly byte[] Secret = new byte[32];

    public RoundTripTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    private Press Press(uint seq) => PressEvents.Signed("pizza-oven-1", Secret, 1, seq, Gw.Now.ToUnixTimeSeconds());

    private async Task<IReadOnlyDictionary<string, int>> CallsOfAsync(Press press)
    {
        IReadOnlyDictionary<string, int> before = Gw.Calls.Snapshot();
        PressOutcome outcome = await Gw.PressAsync(press);
        Assert.Equal(PressResult.Resumed, outcome.Result);
        return Gw.Calls.Since(before);
    }

    [Fact]
    public async Task A_valid_short_press_with_one_order_waiting_costs_at_most_five_dynamodb_calls_and_two_http_calls()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        await CallsOfAsync(Press(1));

        IReadOnlyDictionary<string, int> calls = await CallsOfAsync(Press(2));
        string seen = string.Join(", ", calls.OrderBy(c => c.Key).Select(c => c.Key + " " + c.Value));
        Assert.True(calls.Where(c => c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value) <= 5, seen);
        Assert.Equal(1, calls.GetValueOrDefault("states:SendTaskSuccess"));
        Assert.Equal(1, calls.GetValueOrDefault("iotdata:Publish"));
        Assert.Equal(2, calls.Where(c => !c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value));
    }

    [Fact]
    public async Task A_disabled_device_is_refused_by_a_warm_handler_within_the_cache_bound()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        await CallsOfAsync(Press(1));

        // Disabled by the operator's tool, not through this handler's directory.
        await Gw.Directory.PutDeviceAsync(new KitchenButton.Gateway.Pairing.PairedDevice("pizza-oven-1", "pizza", Secret, Enabled: false), System.Threading.CancellationToken.None);
        Gw.Clock.Advance(KitchenButton.Gateway.Pairing.CachedDeviceDirectory.MaxAge + TimeSpan.FromSeconds(1));
        PressOutcome refused = await Gw.PressAsync(Press(2));
        Assert.Equal(RejectReason.DeviceDisabled, refused.Reason);
    }
}
