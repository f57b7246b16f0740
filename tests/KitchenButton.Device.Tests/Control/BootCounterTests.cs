using KitchenButton.Device.Control;
using KitchenButton.Device.Platform;
using Xunit;

namespace KitchenButton.Device.Tests.Control;

public sealed class BootCounterTests
{
    [Theory]
    [InlineData("41", 41u)]
    [InlineData("41\r\n", 41u)]
    [InlineData("0", 0u)]
    [InlineData("4294967294", 4294967294u)]
    public void A_readable_counter_continues(string stored, uint expected)
    {
        Assert.Equal(expected, BootCounter.Previous(stored, new FixedRandom(0)));
    }

    [Theory]
    [InlineData(null)]               // a new board, or the file was lost
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-1")]
    [InlineData("4294967296")]       // beyond 32 bits
    [InlineData("4294967295")]       // the next boot would wrap to 0
    [InlineData("12345678901")]
    public void A_missing_or_unreadable_counter_never_restarts_at_zero(string? stored)
    {
        uint lowest = BootCounter.Previous(stored, new FixedRandom(0));
        uint highest = BootCounter.Previous(stored, new FixedRandom(int.MaxValue));
        Assert.Equal(BootCounter.RestartFloor, lowest);
        Assert.True(highest < int.MaxValue);
        Assert.True(highest > lowest);
    }

    [Fact]
    public void Two_boards_that_lost_their_counter_start_far_apart()
    {
        // Drawn from the board's RNG: two restarts land in the same few thousand counters about once in a million.
        var random = new SystemRandomSource(3);
        uint a = BootCounter.Previous(null, random);
        uint b = BootCounter.Previous(null, random);
        Assert.True(a >= BootCounter.RestartFloor && b >= BootCounter.RestartFloor);
        Assert.True(a > b ? a - b > 10_000 : b - a > 10_000);
    }

    /// <summary>Returns the smallest or largest value the range allows.</summary>
    private sealed class FixedRandom(int bias) : IRandomSource
    {
        public int Next(int maxExclusive) => bias == 0 ? 0 : maxExclusive - 1;
    }
}
