using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Health;

public sealed class DeviceHealthTests : GatewayTestBase
{
    public DeviceHealthTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-1", "pizza", new byte[32]);
        await Gw.PairAsync("pizza-2", "pizza", new byte[32], createStation: false);
        await Gw.PairAsync("spare-1", "pizza", new byte[32], enabled: false, createStation: false);
    }

    private string Status(string thing, string extra = "", DateTimeOffset? receivedAt = null) =>
        "{\"v\":1,\"fw\":\"1.2.0\",\"boot\":42,\"uptime\":3600,\"freeMem\":81234,\"rssi\":-61,\"queued\":2,\"lastError\":\"sntp retry\"" + extra
        + ",\"topicThing\":\"" + thing + "\",\"receivedAt\":" + (receivedAt ?? Gw.Now).ToUnixTimeMilliseconds() + "}";

    private Task<bool> RecordAsync(string json) => Gw.Composition.Health.RecordAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);

    [Fact]
    public async Task A_report_lands_on_the_device_record_and_the_log_never_in_a_metric_per_button()
    {
        Assert.True(await RecordAsync(Status("pizza-1", ",\"futureField\":[1,2]")));

        GetItemResponse item = await Gw.Composition.Dynamo.GetItemAsync(Gw.Tables.Devices, new Dictionary<string, AttributeValue> { ["thing"] = new() { S = "pizza-1" } });
        Assert.Equal(Gw.Now.ToUnixTimeSeconds().ToString(), item.Item["lastStatusAt"].N);
        Assert.Equal("1.2.0", item.Item["firmware"].S);
        Assert.Equal("81234", item.Item["freeMemory"].N);
        Assert.Equal("-61", item.Item["wifiRssi"].N);
        Assert.Equal("2", item.Item["queuedPresses"].N);
        Assert.Equal("sntp retry", item.Item["lastError"].S);
        Assert.Equal("pizza", item.Item["stationId"].S);
        Assert.Contains("\"thing\":\"pizza-1\"", Gw.Log);
        Assert.Contains("\"freeMemory\":81234", Gw.Log);

        // Three custom metrics per button would cost about $3,500 a month at 5,000 buttons (docs/cost.md).
        Assert.DoesNotContain(Gw.LogLines(), l => l.Contains("\"_aws\"", StringComparison.Ordinal) && l.Contains("pizza-1", StringComparison.Ordinal));
        Assert.Equal(0, Gw.Telemetry.Total("FreeMemory"));
    }

    [Theory]
    [InlineData("{\"v\":1}", "'topicThing' must be a string of at most 64 characters")]
    [InlineData("not json", "invalid JSON")]
    public async Task A_malformed_report_is_rejected_with_a_reason(string json, string detail)
    {
        Assert.False(await RecordAsync(json));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.HealthReportsRejected, "malformed"));
        Assert.Contains(detail, Gw.Log);
    }

    [Fact]
    public async Task A_report_with_a_value_out_of_range_is_rejected()
    {
        Assert.False(await RecordAsync(Status("pizza-1").Replace("\"rssi\":-61", "\"rssi\":12")));
        Assert.Contains("'rssi' must be a whole number from -127 to 0", Gw.Log);
    }

    [Fact]
    public async Task A_report_delivered_after_a_later_one_leaves_the_later_one_on_the_record_and_is_not_counted_as_bad()
    {
        // Lambda's asynchronous queue keeps no order, and a retry comes minutes, a backlog up to an hour, late.
        DateTimeOffset earlier = Gw.Now.AddMinutes(-16);
        Assert.True(await RecordAsync(Status("pizza-1").Replace("\"fw\":\"1.2.0\"", "\"fw\":\"1.3.0\"")));
        Assert.False(await RecordAsync(Status("pizza-1", receivedAt: earlier)));

        GetItemResponse item = await Gw.Composition.Dynamo.GetItemAsync(Gw.Tables.Devices, new Dictionary<string, AttributeValue> { ["thing"] = new() { S = "pizza-1" } });
        Assert.Equal(Gw.Now.ToUnixTimeSeconds().ToString(), item.Item["lastStatusAt"].N);
        Assert.Equal("1.3.0", item.Item["firmware"].S);
        Assert.Contains("health report superseded by a later one", Gw.Log);
        Assert.Equal(0, Gw.Telemetry.Total(MetricNames.HealthReportsRejected));

        // The same report again (a retry whose first answer was lost) and a later one both land.
        Assert.True(await RecordAsync(Status("pizza-1").Replace("\"fw\":\"1.2.0\"", "\"fw\":\"1.3.0\"")));
        Assert.True(await RecordAsync(Status("pizza-1", receivedAt: Gw.Now.AddMinutes(15))));
        item = await Gw.Composition.Dynamo.GetItemAsync(Gw.Tables.Devices, new Dictionary<string, AttributeValue> { ["thing"] = new() { S = "pizza-1" } });
        Assert.Equal(Gw.Now.AddMinutes(15).ToUnixTimeSeconds().ToString(), item.Item["lastStatusAt"].N);
        Assert.Equal("1.2.0", item.Item["firmware"].S);
    }

    [Fact]
    public async Task A_report_from_an_unpaired_thing_creates_no_device()
    {
        Assert.False(await RecordAsync(Status("stranger")));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.HealthReportsRejected, "unknown-device"));
        Assert.Null(await Gw.Directory.FindDeviceAsync("stranger", CancellationToken.None));
    }

    [Fact]
    public async Task Enabled_buttons_not_heard_from_are_found_silent()
    {
        TimeSpan window = TimeSpan.FromMinutes(31);
        await RecordAsync(Status("pizza-1"));

        // Just paired, never reported: not silent yet.
        Assert.Empty(await Gw.Composition.Health.FindSilentAsync(window, CancellationToken.None));

        Gw.Clock.Advance(TimeSpan.FromMinutes(20));
        await RecordAsync(Status("pizza-1"));
        Gw.Clock.Advance(TimeSpan.FromMinutes(15));

        // pizza-2 was paired 35 min ago and never reported; pizza-1 reported 15 min ago; spare-1 is disabled.
        Assert.Equal(new[] { "pizza-2" }, await Gw.Composition.Health.FindSilentAsync(window, CancellationToken.None));
        Gw.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(new[] { "pizza-1", "pizza-2" }, await Gw.Composition.Health.FindSilentAsync(window, CancellationToken.None));
        Assert.Contains("\"message\":\"button silent\",\"thing\":\"pizza-1\"", Gw.Log);
        Assert.Equal(3, Gw.Telemetry.Total(MetricNames.SilentButtons));
    }
}
