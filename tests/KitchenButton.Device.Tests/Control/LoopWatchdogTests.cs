using System;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Device.Control;
using Xunit;

namespace KitchenButton.Device.Tests.Control;

public sealed class LoopWatchdogTests
{
    [Fact]
    public void A_fed_loop_is_never_starved()
    {
        var watchdog = new LoopWatchdog(missesAllowed: 2);
        for (int period = 0; period < 100; period++)
        {
            watchdog.Feed();
            Assert.False(watchdog.Check());
        }
    }

    [Fact]
    public void A_loop_is_starved_only_after_more_than_the_allowed_checks_without_a_feed()
    {
        var watchdog = new LoopWatchdog(missesAllowed: 3);
        watchdog.Feed();
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.True(watchdog.Check());
        Assert.True(watchdog.Check());
    }

    [Fact]
    public void One_feed_forgives_earlier_misses()
    {
        var watchdog = new LoopWatchdog(missesAllowed: 2);
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        watchdog.Feed();
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.True(watchdog.Check());
    }

    [Fact]
    public async Task Feeds_from_another_thread_are_seen_by_the_checker()
    {
        // The loop and the checker take turns, as a loop pass and a timer period do on the board, so
        // the outcome does not hang on how a busy machine schedules the two threads.
        var watchdog = new LoopWatchdog(missesAllowed: 1);
        using var mayFeed = new SemaphoreSlim(0);
        using var fed = new SemaphoreSlim(0);
        Task loop = Task.Run(async () =>
        {
            for (int pass = 0; pass < 20; pass++)
            {
                await mayFeed.WaitAsync();
                watchdog.Feed();
                fed.Release();
            }
        });

        for (int period = 0; period < 20; period++)
        {
            mayFeed.Release();
            await fed.WaitAsync();
            Assert.False(watchdog.Check());
        }

        await loop;

        // The loop has stopped: one miss is allowed, the next is starvation.
        Assert.False(watchdog.Check());
        Assert.True(watchdog.Check());
    }

    [Fact]
    public void At_least_one_miss_must_be_allowed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopWatchdog(0));
    }
}
