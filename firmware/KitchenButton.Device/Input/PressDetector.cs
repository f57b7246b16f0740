namespace KitchenButton.Device.Input
{
    /// <summary>
    /// Turns raw pin edges (level + millisecond timestamp) into presses. A level counts once it has held
    /// for the debounce time; the press is reported on release with the time between the two debounced
    /// edges. Edges arrive from an interrupt handler, so stability is only known when the next edge
    /// arrives or when <see cref="Tick"/> is called: the shell calls it every few tens of milliseconds.
    /// </summary>
    public sealed class PressDetector
    {
        private readonly PressDetectorOptions _options;
        private readonly IPressListener _listener;

        private bool _rawPressed;
        private long _rawSince;
        private bool _stablePressed;
        private long _pressStart;
        private bool _longSignalled;
        private bool _stuck;
        private long _lastTime;

        public PressDetector(PressDetectorOptions options, IPressListener listener)
        {
            _options = options;
            _listener = listener;
        }

        /// <summary>True while a debounced press is in progress.</summary>
        public bool IsPressed => _stablePressed;

        /// <summary>True while the button is held past the stuck limit.</summary>
        public bool IsStuck => _stuck;

        /// <summary>Reports a raw level change of the button (true = pressed) at <paramref name="atMs"/>.</summary>
        public void OnEdge(bool pressed, long atMs)
        {
            atMs = Monotonic(atMs);

            // The level before this edge may have become stable in the meantime; settle it first.
            Settle(atMs);
            if (pressed == _rawPressed)
            {
                return;
            }

            _rawPressed = pressed;
            _rawSince = atMs;
        }

        /// <summary>Advances time: commits levels that have become stable and checks the hold thresholds.</summary>
        public void Tick(long nowMs)
        {
            Settle(Monotonic(nowMs));
        }

        private long Monotonic(long t)
        {
            // An out-of-order timestamp (e.g. a late interrupt) must not make durations negative.
            if (t < _lastTime)
            {
                return _lastTime;
            }

            _lastTime = t;
            return t;
        }

        private void Settle(long now)
        {
            if (_stablePressed)
            {
                CheckHold(now);
            }

            if (_rawPressed != _stablePressed && now - _rawSince >= _options.DebounceMs)
            {
                Commit(_rawSince);
                if (_stablePressed)
                {
                    CheckHold(now);
                }
            }
        }

        private void CheckHold(long now)
        {
            // While a release is still bouncing, the hold ended at the release edge, not now.
            long heldUntil = _rawPressed ? now : _rawSince;
            long held = heldUntil - _pressStart;
            if (!_longSignalled && held >= _options.LongPressMs)
            {
                _longSignalled = true;
                _listener.OnLongThresholdReached(_pressStart + _options.LongPressMs);
            }

            if (!_stuck && held >= _options.StuckMs)
            {
                _stuck = true;
                _listener.OnStuck(_pressStart + _options.StuckMs);
            }
        }

        private void Commit(long at)
        {
            _stablePressed = _rawPressed;
            if (_stablePressed)
            {
                _pressStart = at;
                _longSignalled = false;
                _stuck = false;
                return;
            }

            if (_stuck)
            {
                _stuck = false;
                _listener.OnStuckReleased(at);
                return;
            }

            int held = (int)(at - _pressStart);
            PressKind kind = held >= _options.LongPressMs ? PressKind.Long : PressKind.Short;
            _listener.OnPress(kind, held, at);
        }
    }
}
