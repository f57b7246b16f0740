namespace KitchenButton.Device.Time
{
    /// <summary>
    /// Decides when the wall clock may be trusted and when the controller needs a new offset, from
    /// readings of the wall clock taken beside the monotonic tick count. The shell never sets the clock
    /// itself: only SNTP does, so a reading at or after the stored floor (the last synchronised time
    /// saved to flash) and after <see cref="MinimumValidUnixMs"/> can only have come from SNTP, in this
    /// power cycle or before a warm restart that kept the RTC running. A clock behind the floor (a cold
    /// start at 1970, or an RTC that lost power) is never synchronised. Once synchronised, a reading
    /// whose offset to the tick count moved by at least the threshold (SNTP corrected the clock, or a
    /// warm-restart RTC is corrected by its first SNTP answer) is handed on, so the controller re-takes
    /// its offset on every real correction. Allocates nothing.
    /// </summary>
    public sealed class ClockTracker
    {
        /// <summary>2025-01-01T00:00:00Z: nothing this firmware runs on can be earlier.</summary>
        public const long MinimumValidUnixMs = Control.DeviceControllerOptions.DefaultMinimumValidUnixMs;

        /// <summary>Offset changes smaller than this are tick jitter, not a correction.</summary>
        public const long DefaultResyncThresholdMs = 250;

        /// <summary>2100-01-01T00:00:00Z: a stored floor beyond it is corrupt and would keep the clock untrusted forever.</summary>
        public const long MaximumFloorUnixMs = 4102444800000;

        private readonly long _floorUnixMs;
        private readonly long _thresholdMs;
        private bool _synchronised;
        private long _offsetMs;
        private long _distrustUntilTickMs;
        private bool _sawRtcReading;
        private long _rtcOffsetMs;

        /// <param name="floorUnixMs">The last synchronised time saved on flash, or 0 when none.</param>
        /// <param name="resyncThresholdMs">How far the offset must move before it is handed on again.</param>
        public ClockTracker(long floorUnixMs, long resyncThresholdMs)
        {
            _floorUnixMs = floorUnixMs;
            _thresholdMs = resyncThresholdMs;
        }

        public bool IsSynchronised => _synchronised;

        /// <summary>
        /// The floor as stored on flash (decimal Unix milliseconds), or 0 when it is missing, not a
        /// number, or beyond <see cref="MaximumFloorUnixMs"/>.
        /// </summary>
        public static long ParseFloor(string? stored)
        {
            if (stored == null)
            {
                return 0;
            }

            string text = stored.Trim();
            if (text.Length == 0 || text.Length > 13)
            {
                return 0;
            }

            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return 0;
                }

                value = (value * 10) + (c - '0');
            }

            return value > MaximumFloorUnixMs ? 0 : value;
        }

        /// <summary>Wall-clock milliseconds minus tick milliseconds, once synchronised.</summary>
        public long OffsetMs => _offsetMs;

        /// <summary>
        /// Takes one reading. Returns true when the controller must be given this reading (the first
        /// trustworthy one, or one whose offset moved by the threshold or more); false otherwise.
        /// </summary>
        public bool Observe(long wallUnixMs, long tickMs)
        {
            if (!IsPlausible(wallUnixMs))
            {
                return false;
            }

            long offset = wallUnixMs - tickMs;
            if (!_synchronised && tickMs < _distrustUntilTickMs)
            {
                // After a deep sleep the RTC kept time on its own, drifting: its reading counts only
                // once SNTP has visibly corrected it, or its window has passed without a correction
                // as large as the threshold (the drift was within it).
                if (!_sawRtcReading)
                {
                    _sawRtcReading = true;
                    _rtcOffsetMs = offset;
                    return false;
                }

                long corrected = offset - _rtcOffsetMs;
                if (corrected < _thresholdMs && corrected > -_thresholdMs)
                {
                    return false;
                }
            }

            if (_synchronised)
            {
                long moved = offset - _offsetMs;
                if (moved < _thresholdMs && moved > -_thresholdMs)
                {
                    return false;
                }
            }

            _synchronised = true;
            _offsetMs = offset;
            return true;
        }

        /// <summary>
        /// The board woke from deep sleep: until <paramref name="untilTickMs"/> (one SNTP request window
        /// after the wake) the clock the RTC kept counts only once SNTP has corrected it, so a press made
        /// at the wake is stamped with SNTP's time, not with what the RTC drifted to while asleep.
        /// </summary>
        public void DistrustRtcUntil(long untilTickMs)
        {
            _distrustUntilTickMs = untilTickMs;
        }

        /// <summary>True when a reading is at or after both the floor and <see cref="MinimumValidUnixMs"/>.</summary>
        public bool IsPlausible(long wallUnixMs)
        {
            return wallUnixMs >= MinimumValidUnixMs && wallUnixMs >= _floorUnixMs;
        }
    }
}
