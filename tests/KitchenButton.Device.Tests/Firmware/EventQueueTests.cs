using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Firmware;
using Xunit;

namespace KitchenButton.Device.Tests.Firmware;

public sealed class EventQueueTests
{
    private readonly EventQueue _queue = new();

    [Fact]
    public void Events_come_out_in_order_with_their_data()
    {
        byte[] payload = { 1, 2, 3 };
        _queue.Post(ButtonEvent.Edge, 10, 1, null);
        _queue.Post(ButtonEvent.StateMessage, 20, 0, payload);
        _queue.Post(ButtonEvent.PublishAcknowledged, 30, 7, null);

        Assert.True(_queue.TryTake(out var kind, out long at, out long value, out byte[]? data));
        Assert.Equal((ButtonEvent.Edge, 10L, 1L), (kind, at, value));
        Assert.Null(data);
        Assert.True(_queue.TryTake(out kind, out at, out _, out data));
        Assert.Equal((ButtonEvent.StateMessage, 20L), (kind, at));
        Assert.Same(payload, data);
        Assert.True(_queue.TryTake(out kind, out _, out value, out _));
        Assert.Equal((ButtonEvent.PublishAcknowledged, 7L), (kind, value));
        Assert.False(_queue.TryTake(out _, out _, out _, out _));
    }

    [Fact]
    public void A_full_queue_drops_new_events_and_counts_them()
    {
        for (int i = 0; i < 70; i++)
        {
            Assert.Equal(i < 64, _queue.Post(ButtonEvent.Edge, i, i % 2, null));
        }

        Assert.Equal(6, _queue.Dropped);
        for (int i = 0; i < 64; i++)
        {
            Assert.True(_queue.TryTake(out _, out long at, out _, out _));
            Assert.Equal(i, at);
        }

        Assert.False(_queue.TryTake(out _, out _, out _, out _));
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_below_capacity()
    {
        var taken = new System.Collections.Generic.List<long>();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < 250; i++)
            {
                while (!_queue.Post(ButtonEvent.Edge, (p * 1000) + i, 0, null))
                {
                    Thread.Yield();
                }
            }
        })).ToArray();

        var consumer = Task.Run(async () =>
        {
            while (taken.Count < 1000)
            {
                if (_queue.TryTake(out _, out long at, out _, out _))
                {
                    taken.Add(at);
                }
                else
                {
                    await Task.Yield();
                }
            }
        });

        await Task.WhenAll(producers.Append(consumer));
        Assert.Equal(1000, taken.Distinct().Count());
        foreach (int p in Enumerable.Range(0, 4))
        {
            // Each producer's events keep their order.
            var mine = taken.Where(t => t / 1000 == p).ToList();
            Assert.Equal(mine.OrderBy(t => t), mine);
        }
    }
}
