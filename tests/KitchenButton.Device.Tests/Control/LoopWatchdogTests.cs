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
        var watchdog = new LoopWatchdog(missesAllowed: 1);
        using var stop = new CancellationTokenSource();
        Task loop = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                watchdog.Feed();
                Thread.Sleep(1);
            }
        });

        for (int period = 0; period < 20; period++)
        {
            await Task.Delay(10);
            Assert.False(watchdog.Check());
        }

        stop.Cancel();
        await loop;
        watchdog.Feed(); // the loop's very last pass, so the count below does not depend on timing
        Assert.False(watchdog.Check());
        Assert.False(watchdog.Check());
        Assert.True(watchdog.Check());
    }

    [Fact]
    public void At_least_one_miss_must_be_allowed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopWatchdog(0));
    }
}
