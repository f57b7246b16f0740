namespace KitchenButton.Device.Light
{
    /// <summary>
    /// Drives the LED from the device's status: a steady base status plus an optional overlay (a
    /// one-shot result or the long-press cue) that plays over it. Time comes from the caller; no
    /// threads or timers inside, and <see cref="Update"/> allocates nothing.
    /// </summary>
    public sealed class LightIndicator
    {
        private LightState _base = LightState.Booting;
        private long _baseSince;
        private bool _hasOverlay;
        private LightState _overlay;
        private long _overlaySince;
        private bool _on;
        private uint _rgb;
        private bool _written;
        private int _waiting;

        /// <summary>The status the LED is showing now.</summary>
        public LightState Current => _hasOverlay ? _overlay : _base;

        public LightState Base => _base;

        public bool IsOn => _on;

        public uint Rgb => _rgb;

        /// <summary>Sets the steady status; its pattern restarts only when the status changes.</summary>
        public void SetBase(LightState status, long nowMs)
        {
            if (status != _base)
            {
                _base = status;
                _baseSince = nowMs;
            }
        }

        /// <summary>
        /// How many orders wait, for the "orders waiting" pattern (one, two, three blips, or four for
        /// many); the pattern restarts when what it shows changes.
        /// </summary>
        public void SetWaiting(int count, long nowMs)
        {
            int shown = count < 1 ? 1 : count > 4 ? 4 : count;
            if (shown != _waiting)
            {
                _waiting = shown;
                if (_base == LightState.OrdersWaiting)
                {
                    _baseSince = nowMs;
                }
            }
        }

        /// <summary>Plays <paramref name="status"/> over the base: once, or until cleared if it repeats.</summary>
        public void Overlay(LightState status, long nowMs)
        {
            _hasOverlay = true;
            _overlay = status;
            _overlaySince = nowMs;
        }

        /// <summary>Ends the overlay if it is <paramref name="status"/>.</summary>
        public void ClearOverlay(LightState status)
        {
            if (_hasOverlay && _overlay == status)
            {
                _hasOverlay = false;
            }
        }

        /// <summary>Computes the LED output at <paramref name="nowMs"/>; true when it differs from the last one.</summary>
        public bool Update(long nowMs)
        {
            if (_hasOverlay && LedPatterns.For(_overlay).IsFinished(nowMs - _overlaySince))
            {
                _hasOverlay = false;
            }

            LedPattern pattern;
            long elapsed;
            if (_hasOverlay)
            {
                pattern = LedPatterns.For(_overlay);
                elapsed = nowMs - _overlaySince;
            }
            else
            {
                pattern = _base == LightState.OrdersWaiting ? LedPatterns.Waiting(_waiting) : LedPatterns.For(_base);
                elapsed = nowMs - _baseSince;
            }

            bool on = pattern.IsOnAt(elapsed);
            uint rgb = on ? pattern.Rgb : 0;
            if (_written && on == _on && rgb == _rgb)
            {
                return false;
            }

            _written = true;
            _on = on;
            _rgb = rgb;
            return true;
        }
    }
}
