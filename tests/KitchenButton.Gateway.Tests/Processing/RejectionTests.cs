using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>Every reason a press is refused: with that reason, counted, logged without secrets, no order touched.</summary>
public sealed class RejectionTests : GatewayTestBase
{
    private const string SecretHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static readonly byte[] Secret = Convert.FromHexString(SecretHex);
    private string _token = null!;

    public RejectionTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
        await Gw.PairAsync("disabled-1", "pizza", Secret, enabled: false, createStation: false);
        await Gw.PairAsync("orphan-1", "nowhere", Secret, createStation: false);
        _token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
    }

    [Fact]
    public async Task Malformed_json()
    {
        PressOutcome o = await Gw.Processor.ProcessAsync(Encoding.UTF8.GetBytes("{\"v\":1,"), CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.Malformed, tellsDevice: false);
    }

    [Fact]
    public async Task Too_large()
    {
        PressOutcome o = await Gw.Processor.ProcessAsync(new byte[PressEventParser.MaxEventBytes + 1], CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.TooLarge, tellsDevice: false);
    }

    [Fact]
    public async Task Unsupported_version()
    {
        string json = PressEvents.Json(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now)).Replace("\"v\":1", "\"v\":2");
        PressOutcome o = await Gw.Processor.ProcessAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.UnsupportedVersion, tellsDevice: false);
    }

    [Fact]
    public async Task Body_thing_differs_from_the_topic()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now), topicThing: "grill-1", clientId: "grill-1");
        await AssertRejectedAsync(o, RejectReason.ThingMismatch, tellsDevice: false);
    }

    [Fact]
    public async Task Body_thing_differs_from_the_client_id()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now), clientId: "someone-else");
        await AssertRejectedAsync(o, RejectReason.ThingMismatch, tellsDevice: false);
    }

    [Fact]
    public async Task Unknown_device()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("stranger-9", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.UnknownDevice, tellsDevice: false);
    }

    [Fact]
    public async Task Disabled_device_is_told_it_was_rejected()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("disabled-1", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.DeviceDisabled, tellsDevice: true);
    }

    [Fact]
    public async Task Device_paired_to_a_missing_station()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("orphan-1", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.UnknownStation, tellsDevice: true);
    }

    [Fact]
    public async Task Bad_signature()
    {
        byte[] wrong = (byte[])Secret.Clone();
        wrong[0] ^= 1;
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", wrong, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.BadSignature, tellsDevice: true);
    }

    [Fact]
    public async Task Stale_press_older_than_fifteen_minutes()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now - (16 * 60), queued: true));
        await AssertRejectedAsync(o, RejectReason.Stale, tellsDevice: true);
    }

    [Fact]
    public async Task A_queued_press_fourteen_minutes_old_is_still_accepted()
    {
        // It answers an order that was waiting when it was made (not one parked since: LateDeliveryTests).
        await Gw.EnqueueOrderAsync("pizza", "ord-0", enqueuedAt: Gw.Now.AddMinutes(-15));
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now - (14 * 60), queued: true));
        Assert.Equal(PressResult.Resumed, o.Result);
        Assert.Equal("ord-0", o.OrderId);
    }

    [Fact]
    public async Task Press_from_more_than_five_minutes_in_the_future()
    {
        PressOutcome o = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now + (6 * 60)));
        await AssertRejectedAsync(o, RejectReason.FromTheFuture, tellsDevice: true);
    }

    [Fact]
    public async Task A_rejected_stale_press_stays_rejected_when_delivered_again()
    {
        Press stale = PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Now - (20 * 60));
        await Gw.PressAsync(stale);
        PressOutcome again = await Gw.PressAsync(stale);
        Assert.Equal(PressResult.Rejected, again.Result);
        Assert.True(again.Duplicate);
        Assert.Equal("waiting", Gw.Aws.StateOf(_token));
    }

    private async Task AssertRejectedAsync(PressOutcome outcome, RejectReason reason, bool tellsDevice)
    {
        Assert.Equal(PressResult.Rejected, outcome.Result);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.PressesRejected, reason.ToWire()));
        Assert.Empty(Gw.Aws.Answers);
        Assert.Equal("waiting", Gw.Aws.StateOf(_token));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
        Assert.Contains("\"reason\":\"" + reason.ToWire() + "\"", Gw.Log);
        Assert.Contains("\"PressesRejected\":1", Gw.Log);
        Assert.DoesNotContain(SecretHex, Gw.Log);
        Assert.DoesNotContain(_token, Gw.Log);
        if (tellsDevice)
        {
            PublishCall publish = Assert.Single(Gw.Aws.Publishes);
            Assert.Contains("\"result\":\"rejected\"", publish.Payload);
        }
        else
        {
            Assert.Empty(Gw.Aws.Publishes);
        }
    }
}
