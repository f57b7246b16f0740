using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

public sealed class WaitingCountNotifierTests : GatewayTestBase
{
    private static readonly byte[] Secret = new byte[32];

    public WaitingCountNotifierTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-1", "pizza", Secret);
        await Gw.PairAsync("pizza-2", "pizza", Secret, createStation: false);
        await Gw.PairAsync("pizza-off", "pizza", Secret, enabled: false, createStation: false);
        await Gw.PairAsync("grill-1", "grill", Secret);
    }

    [Fact]
    public async Task Inserts_and_removes_publish_the_count_to_every_enabled_device_of_the_station()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        string streamEvent = "{\"Records\":["
            + Record("INSERT", "pizza") + "," + Record("MODIFY", "grill") + "," + Record("REMOVE", "pizza") + "]}";

        int published = await Gw.Composition.Notifier.HandleAsync(Encoding.UTF8.GetBytes(streamEvent), CancellationToken.None);

        Assert.Equal(2, published);
        Assert.Equal(new[] { "cmd/kitchenbutton/pizza-1/state", "cmd/kitchenbutton/pizza-2/state" }, Gw.Aws.Publishes.Select(p => p.Topic).OrderBy(t => t));
        Assert.All(Gw.Aws.Publishes, p =>
        {
            Assert.Equal("{\"pending\":2}", p.Payload);
            Assert.True(p.Retain);
            Assert.Equal(1, p.Qos);
        });
    }

    [Fact]
    public async Task Claims_alone_publish_nothing()
    {
        int published = await Gw.Composition.Notifier.HandleAsync(Encoding.UTF8.GetBytes("{\"Records\":[" + Record("MODIFY", "pizza") + "]}"), CancellationToken.None);
        Assert.Equal(0, published);
        Assert.Empty(Gw.Aws.Publishes);
    }

    [Fact]
    public async Task A_record_it_cannot_read_is_logged_and_counted_and_the_rest_of_the_batch_still_published()
    {
        await Gw.EnqueueOrderAsync("grill", "ord-1");
        string streamEvent = "{\"Records\":[" + Record("UPSERT", "pizza") + "," + Record("INSERT", "grill") + "]}";

        int published = await Gw.Composition.Notifier.HandleAsync(Encoding.UTF8.GetBytes(streamEvent), CancellationToken.None);

        Assert.Equal(1, published);
        Assert.Equal("cmd/kitchenbutton/grill-1/state", Assert.Single(Gw.Aws.Publishes).Topic);
        Assert.Equal(1, Gw.Telemetry.Total(KitchenButton.Gateway.Observability.MetricNames.StreamRecordsUnreadable));
        Assert.Contains(Gw.LogLines(), l => l.Contains("stream records skipped", StringComparison.Ordinal) && l.Contains("eventName", StringComparison.Ordinal));
    }

    private static string Record(string name, string station) =>
        "{\"eventID\":\"" + Guid.NewGuid() + "\",\"eventName\":\"" + name + "\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-1\","
        + "\"dynamodb\":{\"Keys\":{\"stationId\":{\"S\":\"" + station + "\"},\"queueKey\":{\"S\":\"2026-11-25T12:00:00.000Z#o\"}},\"SequenceNumber\":\"1\",\"SizeBytes\":60,\"StreamViewType\":\"KEYS_ONLY\"}}";
}
