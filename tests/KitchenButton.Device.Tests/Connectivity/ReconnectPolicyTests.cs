using System;
using KitchenButton.Device.Connectivity;
using KitchenButton.Device.Platform;
using Xunit;

namespace KitchenButton.Device.Tests.Connectivity;

public sealed class ReconnectPolicyTests
{
    /// <summary>Always answers the same end of the range.</summary>
    private sealed class ExtremeRandom : IRandomSource
    {
        public bool High { get; set; }

        public int Next(int maxExclusive) => High ? maxExclusive - 1 : 0;
    }

    [Fact]
    public void The_ceiling_doubles_from_one_second_up_to_sixty()
    {
        var random = new ExtremeRandom { High = true };
        var policy = new ReconnectPolicy(random);
        int[] delays = new int[9];
        for (int i = 0; i < delays.Length; i++)
        {
            delays[i] = policy.NextDelayMs();
        }

        Assert.Equal(new[] { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 }, delays);
    }

    [Fact]
    public void Full_jitter_can_go_as_low_as_the_minimum()
    {
        var policy = new ReconnectPolicy(new ExtremeRandom { High = false });
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(1000, policy.NextDelayMs());
        }
    }

    [Fact]
    public void Delays_stay_within_bounds_with_real_randomness()
    {
        var policy = new ReconnectPolicy(new SystemRandomSource(42));
        for (int i = 0; i < 200; i++)
        {
            int ceiling = policy.CurrentCeilingMs;
            int delay = policy.NextDelayMs();
            Assert.InRange(delay, 1000, ceiling);
            Assert.InRange(ceiling, 1000, 60000);
        }
    }

    [Fact]
    public void A_stable_connection_resets_the_backoff_and_a_flapping_one_does_not()
    {
        var policy = new ReconnectPolicy(new ExtremeRandom { High = true });
        policy.NextDelayMs();
        policy.NextDelayMs();
        policy.NextDelayMs();
        Assert.Equal(8000, policy.CurrentCeilingMs);

        policy.OnConnected(0);
        policy.OnDisconnected(5_000);
        Assert.Equal(8000, policy.CurrentCeilingMs);

        policy.OnConnected(10_000);
        policy.OnDisconnected(40_000);
        Assert.Equal(1000, policy.CurrentCeilingMs);
        Assert.Equal(0, policy.Attempt);
    }

    [Fact]
    public void Bounds_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(new SystemRandomSource(1), 0, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy(new SystemRandomSource(1), 100, 10, 10));
    }
}
