using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Testing;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>Every reason a press is refused: with that reason, counted, logged without secrets, no order touched.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class RejectionTests : IAsyncLifetime
{
    private const string SecretHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static readonly byte[] Secret = Convert.FromHexString(SecretHex);
    private readonly DynaliteFixture _dynalite;
    private GatewayHarness _gw = null!;
    private string _token = null!;

    public RejectionTests(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    private long Now => _gw.Clock.Now.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        _gw = await GatewayHarness.CreateAsync(_dynalite.Dynalite);
        await _gw.PairAsync("pizza-oven-1", "pizza", Secret);
        await _gw.PairAsync("disabled-1", "pizza", Secret, enabled: false, createStation: false);
        await _gw.PairAsync("orphan-1", "nowhere", Secret, createStation: false);
        _token = await _gw.EnqueueOrderAsync("pizza", "ord-1");
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task Malformed_json()
    {
        PressOutcome o = await _gw.Processor.ProcessAsync(Encoding.UTF8.GetBytes("{\"v\":1,"), CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.Malformed, tellsDevice: false);
    }

    [Fact]
    public async Task Too_large()
    {
        PressOutcome o = await _gw.Processor.ProcessAsync(new byte[PressEventParser.MaxEventBytes + 1], CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.TooLarge, tellsDevice: false);
    }

    [Fact]
    public async Task Unsupported_version()
    {
        string json = TestPresses.Json(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now)).Replace("\"v\":1", "\"v\":2");
        PressOutcome o = await _gw.Processor.ProcessAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
        await AssertRejectedAsync(o, RejectReason.UnsupportedVersion, tellsDevice: false);
    }

    [Fact]
    public async Task Body_thing_differs_from_the_topic()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now), topicThing: "grill-1", clientId: "grill-1");
        await AssertRejectedAsync(o, RejectReason.ThingMismatch, tellsDevice: false);
    }

    [Fact]
    public async Task Body_thing_differs_from_the_client_id()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now), clientId: "someone-else");
        await AssertRejectedAsync(o, RejectReason.ThingMismatch, tellsDevice: false);
    }

    [Fact]
    public async Task Unknown_device()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("stranger-9", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.UnknownDevice, tellsDevice: false);
    }

    [Fact]
    public async Task Disabled_device_is_told_it_was_rejected()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("disabled-1", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.DeviceDisabled, tellsDevice: true);
    }

    [Fact]
    public async Task Device_paired_to_a_missing_station()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("orphan-1", Secret, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.UnknownStation, tellsDevice: true);
    }

    [Fact]
    public async Task Bad_signature()
    {
        byte[] wrong = (byte[])Secret.Clone();
        wrong[0] ^= 1;
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", wrong, 1, 1, Now));
        await AssertRejectedAsync(o, RejectReason.BadSignature, tellsDevice: true);
    }

    [Fact]
    public async Task Stale_press_older_than_fifteen_minutes()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now - (16 * 60), queued: true));
        await AssertRejectedAsync(o, RejectReason.Stale, tellsDevice: true);
    }

    [Fact]
    public async Task A_queued_press_fourteen_minutes_old_is_still_accepted()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now - (14 * 60), queued: true));
        Assert.Equal(PressResult.Resumed, o.Result);
    }

    [Fact]
    public async Task Press_from_more_than_five_minutes_in_the_future()
    {
        PressOutcome o = await _gw.PressAsync(TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now + (6 * 60)));
        await AssertRejectedAsync(o, RejectReason.FromTheFuture, tellsDevice: true);
    }

    [Fact]
    public async Task A_rejected_stale_press_stays_rejected_when_delivered_again()
    {
        Press stale = TestPresses.Signed("pizza-oven-1", Secret, 1, 1, Now - (20 * 60));
        await _gw.PressAsync(stale);
        PressOutcome again = await _gw.PressAsync(stale);
        Assert.Equal(PressResult.Rejected, again.Result);
        Assert.True(again.Duplicate);
        Assert.Equal("waiting", _gw.Aws.StateOf(_token));
    }

    private async Task AssertRejectedAsync(PressOutcome outcome, string reason, bool tellsDevice)
    {
        Assert.Equal(PressResult.Rejected, outcome.Result);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(1, _gw.Telemetry.Total(MetricNames.PressesRejected, reason));
        Assert.Empty(_gw.Aws.Callbacks);
        Assert.Equal("waiting", _gw.Aws.StateOf(_token));
        Assert.Equal(1, await _gw.PendingAtAsync("pizza"));
        Assert.Contains("\"reason\":\"" + reason + "\"", _gw.Log);
        Assert.Contains("\"PressesRejected\":1", _gw.Log);
        Assert.DoesNotContain(SecretHex, _gw.Log);
        Assert.DoesNotContain(_token, _gw.Log);
        if (tellsDevice)
        {
            PublishCall publish = Assert.Single(_gw.Aws.Publishes);
            Assert.Contains("\"result\":\"rejected\"", publish.Payload);
        }
        else
        {
            Assert.Empty(_gw.Aws.Publishes);
        }
    }
}
