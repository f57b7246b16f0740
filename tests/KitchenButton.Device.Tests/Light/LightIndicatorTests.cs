using KitchenButton.Device.Light;
using Xunit;

namespace KitchenButton.Device.Tests.Light;

public sealed class LightIndicatorTests
{
    private readonly LightIndicator _indicator = new();

    [Fact]
    public void Reports_a_change_only_when_the_output_changes()
    {
        _indicator.SetBase(LightState.OrdersWaiting, 0);
        Assert.True(_indicator.Update(0));
        Assert.True(_indicator.IsOn);
        Assert.False(_indicator.Update(10));
        Assert.False(_indicator.Update(4250));
    }

    [Fact]
    public void A_one_shot_result_plays_over_the_base_then_gives_way()
    {
        _indicator.SetBase(LightState.OrdersWaiting, 0);
        _indicator.Update(0);
        _indicator.Overlay(LightState.NothingWaiting, 1000);
        Assert.Equal(LightState.NothingWaiting, _indicator.Current);
        _indicator.Update(1000);
        Assert.True(_indicator.IsOn);
        _indicator.Update(1120);
        Assert.False(_indicator.IsOn);
        _indicator.Update(1000 + LedPatterns.NothingWaiting.DurationMs);
        Assert.Equal(LightState.OrdersWaiting, _indicator.Current);

        // The base went on in its own rhythm underneath: it shows where that rhythm is now.
        Assert.Equal(LedPatterns.OneWaiting.IsOnAt(1000 + LedPatterns.NothingWaiting.DurationMs), _indicator.IsOn);
    }

    [Fact]
    public void Changing_the_base_restarts_its_pattern_but_setting_it_again_does_not()
    {
        _indicator.SetBase(LightState.Connecting, 0);
        _indicator.Update(0);
        _indicator.SetBase(LightState.Connecting, 500);
        _indicator.Update(500);
        Assert.False(_indicator.IsOn);
        _indicator.SetBase(LightState.Sending, 500);
        _indicator.Update(500);
        Assert.True(_indicator.IsOn);
    }

    [Fact]
    public void The_long_press_cue_stays_until_cleared()
    {
        _indicator.SetBase(LightState.Idle, 0);
        _indicator.Overlay(LightState.LongPressArmed, 100);
        _indicator.Update(60_000);
        Assert.Equal(LightState.LongPressArmed, _indicator.Current);
        _indicator.ClearOverlay(LightState.Resumed);
        Assert.Equal(LightState.LongPressArmed, _indicator.Current);
        _indicator.ClearOverlay(LightState.LongPressArmed);
        Assert.Equal(LightState.Idle, _indicator.Current);
    }

    [Fact]
    public void The_colour_is_black_while_off()
    {
        _indicator.SetBase(LightState.Connecting, 0);
        _indicator.Update(0);
        Assert.Equal(LedPatterns.Connecting.Rgb, _indicator.Rgb);
        // Connecting is 500 ms on, 500 ms off.
        _indicator.Update(700);
        Assert.Equal(0u, _indicator.Rgb);
    }
}
