using System;

namespace KitchenButton.Device.Light
{
    /// <summary>
    /// A blink pattern: alternating on/off durations starting with "on", either repeating or played
    /// once. Immutable and shared, so selecting a pattern allocates nothing.
    /// </summary>
    public sealed class LedPattern
    {
        private readonly int[] _stepsMs;

        public LedPattern(uint rgb, bool repeats, int[] stepsMs)
        {
            if (stepsMs == null || stepsMs.Length == 0)
            {
                throw new ArgumentException("a pattern needs at least one step", nameof(stepsMs));
            }

            int total = 0;
            for (int i = 0; i < stepsMs.Length; i++)
            {
                if (stepsMs[i] <= 0)
                {
                    throw new ArgumentException("steps must be positive", nameof(stepsMs));
                }

                total += stepsMs[i];
            }

            Rgb = rgb;
            Repeats = repeats;
            _stepsMs = stepsMs;
            DurationMs = total;
        }

        /// <summary>Colour for a WS2812 pixel (0xRRGGBB); a plain LED ignores it.</summary>
        public uint Rgb { get; }

        public bool Repeats { get; }

        /// <summary>Length of one cycle (repeating) or of the whole pattern (one-shot).</summary>
        public int DurationMs { get; }

        /// <summary>True when a one-shot pattern has played out <paramref name="elapsedMs"/> after it started.</summary>
        public bool IsFinished(long elapsedMs)
        {
            return !Repeats && elapsedMs >= DurationMs;
        }

        /// <summary>Whether the LED is lit <paramref name="elapsedMs"/> after the pattern started.</summary>
        public bool IsOnAt(long elapsedMs)
        {
            if (elapsedMs < 0)
            {
                elapsedMs = 0;
            }

            if (Repeats)
            {
                elapsedMs %= DurationMs;
            }
            else if (elapsedMs >= DurationMs)
            {
                return false;
            }

            for (int i = 0; i < _stepsMs.Length; i++)
            {
                if (elapsedMs < _stepsMs[i])
                {
                    return (i & 1) == 0;
                }

                elapsedMs -= _stepsMs[i];
            }

            return false;
        }
    }
}
