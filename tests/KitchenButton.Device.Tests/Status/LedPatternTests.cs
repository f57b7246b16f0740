using System;
using KitchenButton.Device.Status;
using Xunit;

namespace KitchenButton.Device.Tests.Status;

public sealed class LedPatternTests
{
    [Fact]
    public void Steps_alternate_on_and_off_starting_on()
    {
        var p = new LedPattern(0xFF0000, false, new[] { 100, 50, 200 });
        Assert.True(p.IsOnAt(0));
        Assert.True(p.IsOnAt(99));
        Assert.False(p.IsOnAt(100));
        Assert.False(p.IsOnAt(149));
        Assert.True(p.IsOnAt(150));
        Assert.True(p.IsOnAt(349));
        Assert.False(p.IsOnAt(350));
        Assert.True(p.IsFinished(350));
        Assert.False(p.IsFinished(349));
    }

    [Fact]
    public void Repeating_patterns_wrap_and_never_finish()
    {
        var p = new LedPattern(0, true, new[] { 100, 900 });
        Assert.True(p.IsOnAt(10_050));
        Assert.False(p.IsOnAt(10_150));
        Assert.False(p.IsFinished(1_000_000));
    }

    [Fact]
    public void Invalid_patterns_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LedPattern(0, true, Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new LedPattern(0, true, new[] { 100, 0 }));
    }

    [Fact]
    public void Every_status_has_a_pattern_and_faults_are_told_apart_by_their_count()
    {
        foreach (DeviceStatus s in Enum.GetValues<DeviceStatus>())
        {
            Assert.NotNull(LedPatterns.For(s));
        }

        Assert.Equal(2, CountBlinks(LedPatterns.For(DeviceStatus.FaultConfiguration)));
        Assert.Equal(3, CountBlinks(LedPatterns.For(DeviceStatus.FaultCredentials)));
        Assert.Equal(4, CountBlinks(LedPatterns.For(DeviceStatus.FaultStorage)));
        Assert.Equal(5, CountBlinks(LedPatterns.For(DeviceStatus.FaultStuckButton)));
    }

    [Fact]
    public void Results_play_once_and_steady_states_repeat()
    {
        Assert.False(LedPatterns.Resumed.Repeats);
        Assert.False(LedPatterns.ProblemSent.Repeats);
        Assert.False(LedPatterns.NothingPending.Repeats);
        Assert.False(LedPatterns.Rejected.Repeats);
        Assert.False(LedPatterns.QueueFull.Repeats);
        Assert.True(LedPatterns.Idle.Repeats);
        Assert.True(LedPatterns.OrdersPending.Repeats);
        Assert.True(LedPatterns.OfflineWithQueued.Repeats);
    }

    private static int CountBlinks(LedPattern p)
    {
        int blinks = 0;
        bool was = false;
        for (int t = 0; t < p.DurationMs; t++)
        {
            bool on = p.IsOnAt(t);
            if (on && !was)
            {
                blinks++;
            }

            was = on;
        }

        return blinks;
    }
}
