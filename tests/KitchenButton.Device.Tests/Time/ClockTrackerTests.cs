using KitchenButton.Device.Time;
using Xunit;

namespace KitchenButton.Device.Tests.Time;

public sealed class ClockTrackerTests
{
    private const long Now = 1_764_000_000_000; // 2025-11-24
    private const long Floor = Now - 3_600_000; // saved an hour before the power cut

    [Fact]
    public void A_cold_start_clock_is_not_synchronised_however_often_it_is_read()
    {
        var clock = new ClockTracker(Floor, ClockTracker.DefaultResyncThresholdMs);
        Assert.False(clock.Observe(0, 1_000));                 // 1970 after a power cut
        Assert.False(clock.Observe(86_400_000, 90_000));
        Assert.False(clock.IsSynchronised);
    }

    [Fact]
    public void The_floor_bounds_the_clock_but_never_counts_as_synchronised()
    {
        // The old firmware wrote the floor into the RTC and took that for an SNTP answer: presses were
        // then stamped up to an hour early and refused as stale. A reading behind the floor is refused ...
        var clock = new ClockTracker(Floor, ClockTracker.DefaultResyncThresholdMs);
        Assert.False(clock.Observe(Floor - 1, 5_000));
        Assert.False(clock.IsSynchronised);

        // ... and the first reading at or after it (only SNTP can have set it) is handed on.
        Assert.True(clock.Observe(Now, 9_000));
        Assert.True(clock.IsSynchronised);
        Assert.Equal(Now - 9_000, clock.OffsetMs);
    }

    [Fact]
    public void After_a_deep_sleep_the_rtcs_drifted_clock_waits_for_sntps_correction()
    {
        // Ten minutes asleep on the RTC's slow clock left it 30 s behind. The wake press must be
        // stamped with SNTP's time: the gateway allows a queued press 2 s of clock error.
        var clock = new ClockTracker(Floor, ClockTracker.DefaultResyncThresholdMs);
        clock.DistrustRtcUntil(16_000);
        long drifted = Now - 30_000;
        Assert.False(clock.Observe(drifted + 500, 500));
        Assert.False(clock.Observe(drifted + 2_500, 2_500));
        Assert.False(clock.IsSynchronised);

        // SNTP answers: the clock jumps by the drift, and that reading is the first one handed on.
        Assert.True(clock.Observe(Now + 4_000, 4_000));
        Assert.Equal(Now, clock.OffsetMs);
    }

    [Fact]
    public void After_a_deep_sleep_a_clock_sntp_leaves_alone_counts_once_the_window_has_passed()
    {
        // The RTC drifted by less than the threshold: SNTP's answer moves nothing visible, so the
        // reading counts when the window ends, never before.
        var clock = new ClockTracker(Floor, ClockTracker.DefaultResyncThresholdMs);
        clock.DistrustRtcUntil(16_000);
        Assert.False(clock.Observe(Now + 500, 500));
        Assert.False(clock.Observe(Now + 15_999 + 100, 15_999));
        Assert.True(clock.Observe(Now + 16_000 + 100, 16_000));
        Assert.Equal(Now + 100, clock.OffsetMs);
    }

    [Fact]
    public void Every_correction_is_handed_on_and_tick_jitter_is_not()
    {
        var clock = new ClockTracker(0, 250);
        Assert.True(clock.Observe(Now, 1_000));
        Assert.False(clock.Observe(Now + 60_000 + 200, 61_000));   // 200 ms of drift: not a correction
        Assert.False(clock.Observe(Now + 120_000 - 249, 121_000));
        Assert.True(clock.Observe(Now + 180_000 + 2_000, 181_000)); // SNTP moved the clock by 2 s
        Assert.Equal(Now + 2_000 - 1_000, clock.OffsetMs);
        Assert.True(clock.Observe(Now + 240_000 - 1_000, 241_000)); // and back by 3 s
        Assert.Equal(Now - 1_000 - 1_000, clock.OffsetMs);
    }

    [Fact]
    public void A_clock_before_2025_is_never_trusted_even_without_a_floor()
    {
        var clock = new ClockTracker(0, 250);
        Assert.False(clock.Observe(ClockTracker.MinimumValidUnixMs - 1, 1));
        Assert.True(clock.Observe(ClockTracker.MinimumValidUnixMs, 2));
    }

    [Theory]
    [InlineData(null, 0L)]
    [InlineData("", 0L)]
    [InlineData("1764000000000", 1_764_000_000_000L)]
    [InlineData(" 1764000000000\r\n", 1_764_000_000_000L)]
    [InlineData("639000000000000000", 0L)] // the old file held .NET ticks: far beyond 2100 as milliseconds
    [InlineData("4102444800001", 0L)]
    [InlineData("-5", 0L)]
    [InlineData("17640000x0000", 0L)]
    public void A_stored_floor_is_read_strictly_and_a_corrupt_one_is_ignored(string? stored, long expected)
    {
        Assert.Equal(expected, ClockTracker.ParseFloor(stored));
    }
}
