using System;
using KitchenButton.Device.Light;
using Xunit;

namespace KitchenButton.Device.Tests.Light;

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
        foreach (LightState s in Enum.GetValues<LightState>())
        {
            Assert.NotNull(LedPatterns.For(s));
        }

        Assert.Equal(2, CountBlinks(LedPatterns.For(LightState.FaultConfiguration)));
        Assert.Equal(3, CountBlinks(LedPatterns.For(LightState.FaultCredentials)));
        Assert.Equal(4, CountBlinks(LedPatterns.For(LightState.FaultStorage)));
        Assert.Equal(5, CountBlinks(LedPatterns.For(LightState.FaultStuckButton)));
    }

    [Fact]
    public void Results_play_once_and_steady_states_repeat()
    {
        Assert.False(LedPatterns.Resumed.Repeats);
        Assert.False(LedPatterns.ProblemSent.Repeats);
        Assert.False(LedPatterns.NothingWaiting.Repeats);
        Assert.False(LedPatterns.Rejected.Repeats);
        Assert.False(LedPatterns.QueueFull.Repeats);
        Assert.True(LedPatterns.Idle.Repeats);
        Assert.True(LedPatterns.OneWaiting.Repeats && LedPatterns.TwoWaiting.Repeats && LedPatterns.ThreeWaiting.Repeats && LedPatterns.ManyWaiting.Repeats);
        Assert.True(LedPatterns.OfflineWithQueued.Repeats);
    }

    [Fact]
    public void No_two_states_a_cook_must_tell_apart_share_a_rhythm_on_a_single_colour_LED()
    {
        // What a cook sees without colour: the flashes of one cycle, each short, medium or long,
        // and for a repeating state how fast it comes round again.
        var seen = new System.Collections.Generic.Dictionary<string, string>();
        foreach ((string name, LedPattern p) in Shown())
        {
            string rhythm = Flashes(p) + (p.Repeats ? "/repeats:" + Pace(p.DurationMs) : "/once");
            Assert.False(seen.TryGetValue(rhythm, out string? other), $"{name} looks like {other} ({rhythm})");
            seen.Add(rhythm, name);
        }
    }

    [Fact]
    public void A_result_never_looks_like_one_cycle_of_a_steady_state()
    {
        // A result plays once over the steady state; if its flashes equalled one cycle of a steady
        // pattern, "resumed" would read as "more orders waiting".
        foreach (LightState result in Enum.GetValues<LightState>())
        {
            LedPattern once = LedPatterns.For(result);
            if (once.Repeats)
            {
                continue;
            }

            foreach (LightState steady in Enum.GetValues<LightState>())
            {
                LedPattern p = LedPatterns.For(steady);
                Assert.True(!p.Repeats || Flashes(p) != Flashes(once), $"{result} looks like a cycle of {steady}");
            }
        }
    }

    [Fact]
    public void A_result_stays_readable_for_seconds_after_the_press()
    {
        // A cook glances back at the button after pressing; a flash they can miss tells them nothing.
        foreach (LedPattern result in new[] { LedPatterns.Resumed, LedPatterns.ProblemSent, LedPatterns.NothingWaiting, LedPatterns.Rejected, LedPatterns.QueueFull })
        {
            Assert.True(result.DurationMs >= 2_500, "a result shown for only " + result.DurationMs + " ms");
        }
    }

    [Fact]
    public void Refused_is_nothing_like_sending()
    {
        // The confusion a cook reported: quick flickers for both. Refused now has long flashes in it.
        Assert.Contains('L', Flashes(LedPatterns.Rejected));
        Assert.DoesNotContain('L', Flashes(LedPatterns.Sending));
        Assert.Equal("SSSLLLSSS", Flashes(LedPatterns.Rejected));
    }

    [Fact]
    public void Resumed_is_unlike_orders_pending_and_the_three_quick_states_differ()
    {
        // The two confusions found on the first design: steady-on for both "orders waiting" and
        // "long press armed", and one fast blink for booting, sending and rejected.
        Assert.NotEqual(Flashes(LedPatterns.TwoWaiting), Flashes(LedPatterns.LongPressArmed));
        Assert.NotEqual(Flashes(LedPatterns.Resumed), Flashes(LedPatterns.TwoWaiting));
        Assert.Equal(3, new System.Collections.Generic.HashSet<string>
        {
            Flashes(LedPatterns.Booting), Flashes(LedPatterns.Sending), Flashes(LedPatterns.Rejected),
        }.Count);
    }

    /// <summary>
    /// The flashes of one cycle, each classed S (≤ 150 ms), M (≤ 600 ms) or L; "steady" for a repeating
    /// pattern that is never off (a one-shot ends when the steady state resumes, so it is a flash).
    /// </summary>
    private static string Flashes(LedPattern p)
    {
        string flashes = FlashSequence.Of(p, out bool everOff);
        return everOff || !p.Repeats ? flashes : "steady";
    }

    /// <summary>Every pattern a cook can see: one per state, "orders waiting" once per count it tells apart.</summary>
    private static System.Collections.Generic.IEnumerable<(string Name, LedPattern Pattern)> Shown()
    {
        foreach (LightState s in Enum.GetValues<LightState>())
        {
            if (s != LightState.OrdersWaiting)
            {
                yield return (s.ToString(), LedPatterns.For(s));
            }
        }

        for (int waiting = 1; waiting <= 4; waiting++)
        {
            yield return ("OrdersWaiting(" + waiting + ")", LedPatterns.Waiting(waiting));
        }
    }

    private static string Pace(int cycleMs) => cycleMs < 400 ? "fast" : cycleMs <= 1500 ? "normal" : "slow";

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
