namespace KitchenButton.Device.Input
{
    /// <summary>Timing thresholds of the <see cref="PressDetector"/>, in milliseconds.</summary>
    public sealed class PressDetectorOptions
    {
        public const int DefaultDebounceMs = 30;
        public const int DefaultLongPressMs = 1500;
        public const int DefaultStuckMs = 30000;

        public PressDetectorOptions()
            : this(DefaultDebounceMs, DefaultLongPressMs, DefaultStuckMs)
        {
        }

        public PressDetectorOptions(int debounceMs, int longPressMs, int stuckMs)
        {
            if (debounceMs < 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(debounceMs));
            }

            if (longPressMs <= debounceMs)
            {
                throw new System.ArgumentOutOfRangeException(nameof(longPressMs));
            }

            if (stuckMs <= longPressMs)
            {
                throw new System.ArgumentOutOfRangeException(nameof(stuckMs));
            }

            DebounceMs = debounceMs;
            LongPressMs = longPressMs;
            StuckMs = stuckMs;
        }

        /// <summary>A level must hold this long before it counts; shorter pulses are contact chatter.</summary>
        public int DebounceMs { get; }

        /// <summary>A press held at least this long is a long press.</summary>
        public int LongPressMs { get; }

        /// <summary>A press held at least this long is a stuck button (a fault).</summary>
        public int StuckMs { get; }
    }
}
