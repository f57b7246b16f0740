using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Device.Input;
using Xunit;

namespace KitchenButton.Device.Tests.Input;

public sealed class PressDetectorTests
{
    private readonly RecordingPressListener _listener = new();
    private readonly PressDetector _detector;

    public PressDetectorTests()
    {
        _detector = new PressDetector(new PressDetectorOptions(30, 1500, 30000), _listener);
    }

    [Fact]
    public void A_clean_short_press_is_reported_once_on_release_with_its_duration()
    {
        _detector.OnEdge(true, 1000);
        _detector.Tick(1100);
        Assert.Empty(_listener.Events);
        _detector.OnEdge(false, 1200);
        _detector.Tick(1229);
        Assert.Empty(_listener.Presses);
        _detector.Tick(1230);
        Assert.Equal(new[] { "short-press 200ms@1200" }, _listener.Events);
        _detector.Tick(5000);
        Assert.Single(_listener.Presses);
    }

    [Fact]
    public void Bounces_at_both_ends_are_debounced_into_one_press()
    {
        long[] downBounce = { 1000, 1002, 1004, 1007, 1009 };
        bool level = true;
        foreach (long t in downBounce)
        {
            _detector.OnEdge(level, t);
            level = !level;
        }

        // Last edge at 1009 was "pressed" (5 edges starting pressed).
        _detector.Tick(1300);
        _detector.OnEdge(false, 1400);
        _detector.OnEdge(true, 1403);
        _detector.OnEdge(false, 1405);
        _detector.Tick(1500);

        var press = Assert.Single(_listener.Presses);
        Assert.Equal(PressKind.Short, press.Kind);
        Assert.Equal(1405 - 1009, press.HeldMs);
    }

    [Fact]
    public void A_pulse_shorter_than_the_debounce_time_is_noise()
    {
        _detector.OnEdge(true, 1000);
        _detector.OnEdge(false, 1020);
        _detector.Tick(2000);
        Assert.Empty(_listener.Events);
        Assert.False(_detector.IsPressed);
    }

    [Fact]
    public void Long_threshold_fires_while_held_then_the_long_press_on_release()
    {
        _detector.OnEdge(true, 0);
        _detector.Tick(1499);
        Assert.Empty(_listener.Events);
        _detector.Tick(1500);
        Assert.Equal(new[] { "long@1500" }, _listener.Events);
        _detector.Tick(1600);
        _detector.OnEdge(false, 2100);
        _detector.Tick(2200);
        Assert.Equal(new[] { "long@1500", "long-press 2100ms@2100" }, _listener.Events);
    }

    [Fact]
    public void The_threshold_is_reported_even_without_ticks_in_between()
    {
        _detector.OnEdge(true, 0);
        _detector.OnEdge(false, 4000);
        _detector.Tick(4030);
        Assert.Equal(new[] { "long@1500", "long-press 4000ms@4000" }, _listener.Events);
    }

    [Fact]
    public void A_release_still_bouncing_does_not_stretch_the_hold_past_the_threshold()
    {
        _detector.OnEdge(true, 0);
        _detector.OnEdge(false, 1490);
        _detector.Tick(1510);
        _detector.Tick(1520);
        Assert.Equal(new[] { "short-press 1490ms@1490" }, _listener.Events);
    }

    [Fact]
    public void Exactly_the_threshold_is_a_long_press()
    {
        _detector.OnEdge(true, 0);
        _detector.OnEdge(false, 1500);
        _detector.Tick(1600);
        Assert.Equal(PressKind.Long, Assert.Single(_listener.Presses).Kind);
    }

    [Fact]
    public void A_stuck_button_is_a_fault_and_never_a_press()
    {
        _detector.OnEdge(true, 0);
        for (long t = 0; t <= 31000; t += 500)
        {
            _detector.Tick(t);
        }

        Assert.True(_detector.IsStuck);
        _detector.OnEdge(false, 45000);
        _detector.Tick(45100);
        Assert.Equal(new[] { "long@1500", "stuck@30000", "stuck-released@45000" }, _listener.Events);
        Assert.Empty(_listener.Presses);
        Assert.False(_detector.IsStuck);

        _detector.OnEdge(true, 50000);
        _detector.OnEdge(false, 50100);
        _detector.Tick(50200);
        Assert.Single(_listener.Presses);
    }

    [Fact]
    public void Timestamps_going_backwards_never_give_a_negative_duration()
    {
        _detector.OnEdge(true, 1000);
        _detector.Tick(1100);
        _detector.OnEdge(false, 900);
        _detector.Tick(1200);
        var press = Assert.Single(_listener.Presses);
        Assert.True(press.HeldMs >= 0);
    }

    [Fact]
    public void Repeated_levels_are_ignored()
    {
        _detector.OnEdge(true, 0);
        _detector.OnEdge(true, 50);
        _detector.OnEdge(true, 100);
        _detector.OnEdge(false, 300);
        _detector.OnEdge(false, 310);
        _detector.Tick(400);
        Assert.Equal(300, Assert.Single(_listener.Presses).HeldMs);
    }

    [Fact]
    public void Options_reject_inconsistent_thresholds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PressDetectorOptions(-1, 1500, 30000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PressDetectorOptions(30, 30, 30000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PressDetectorOptions(30, 1500, 1500));
    }

    /// <summary>
    /// Any sequence of genuine presses and gaps (each at least twice the debounce time), each edge
    /// smeared by contact chatter shorter than the debounce time, comes out as exactly those presses,
    /// of the right kind, with durations within the chatter of the truth.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Chattering_presses_come_out_exactly_once_each()
    {
        Gen<(int Gap, int Hold, int Chatter)> step =
            from gap in Gen.Choose(61, 5000)
            from hold in Gen.Choose(61, 4000)
            from chatter in Gen.Choose(0, 6)
            select (gap, hold, chatter);

        return Prop.ForAll(step.ArrayOf().ToArbitrary(), steps =>
        {
            var listener = new RecordingPressListener();
            var detector = new PressDetector(new PressDetectorOptions(30, 1500, 30000), listener);
            long t = 0;
            var expected = new List<(PressKind, int)>();
            foreach (var (gap, hold, chatter) in steps)
            {
                t += gap;
                Chatter(detector, true, t, chatter);
                detector.Tick(t + 40);
                long release = t + hold;
                for (long tick = t + 40; tick < release; tick += 97)
                {
                    detector.Tick(tick);
                }

                Chatter(detector, false, release, chatter);
                expected.Add((hold >= 1500 ? PressKind.Long : PressKind.Short, hold));
                t = release;
            }

            detector.Tick(t + 100);
            if (listener.Presses.Count != expected.Count)
            {
                return false;
            }

            for (int i = 0; i < expected.Count; i++)
            {
                // Chatter moves each debounced edge by at most chatter * 2 ms (edges 1 ms apart).
                if (Math.Abs(listener.Presses[i].HeldMs - expected[i].Item2) > 12)
                {
                    return false;
                }

                bool nearThreshold = Math.Abs(expected[i].Item2 - 1500) <= 12;
                if (!nearThreshold && listener.Presses[i].Kind != expected[i].Item1)
                {
                    return false;
                }
            }

            return true;
        });
    }

    /// <summary>Random edges never produce an overlapping press or a negative duration, and never throw.</summary>
    [Property(MaxTest = 300)]
    public bool Arbitrary_edge_noise_never_breaks_the_detector(int[] gaps)
    {
        var listener = new RecordingPressListener();
        var detector = new PressDetector(new PressDetectorOptions(), listener);
        long t = 0;
        bool level = false;
        foreach (int g in gaps)
        {
            t += Math.Abs(g % 400);
            level = !level;
            detector.OnEdge(level, t);
            if (g % 3 == 0)
            {
                detector.Tick(t + 5);
            }
        }

        detector.OnEdge(false, t + 1);
        detector.Tick(t + 100000);
        long lastRelease = long.MinValue;
        foreach (var p in listener.Presses)
        {
            if (p.HeldMs < 30 || p.ReleasedAt < lastRelease)
            {
                return false;
            }

            lastRelease = p.ReleasedAt;
        }

        return !detector.IsPressed;
    }

    private static void Chatter(PressDetector detector, bool finalLevel, long start, int bounces)
    {
        // bounces extra edge pairs, 1 ms apart, ending on the final level.
        long t = start;
        for (int i = 0; i < bounces; i++)
        {
            detector.OnEdge(finalLevel, t++);
            detector.OnEdge(!finalLevel, t++);
        }

        detector.OnEdge(finalLevel, t);
    }
}
