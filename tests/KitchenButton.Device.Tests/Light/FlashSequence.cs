using System.Text;
using KitchenButton.Device.Light;

namespace KitchenButton.Device.Tests.Light;

/// <summary>What a cook sees of a pattern without colour: its flashes, each short (≤ 150 ms), medium (≤ 600 ms) or long.</summary>
internal static class FlashSequence
{
    /// <summary>The flashes of one cycle as S, M and L; <paramref name="everOff"/> false for a pattern that never goes dark.</summary>
    public static string Of(LedPattern p, out bool everOff)
    {
        var text = new StringBuilder();
        int onFor = 0;
        everOff = false;
        for (int t = 0; t <= p.DurationMs; t++)
        {
            bool on = t < p.DurationMs && p.IsOnAt(t);
            everOff |= !on && t < p.DurationMs;
            if (on)
            {
                onFor++;
            }
            else if (onFor > 0)
            {
                text.Append(onFor <= 150 ? 'S' : onFor <= 600 ? 'M' : 'L');
                onFor = 0;
            }
        }

        return text.ToString();
    }
}
