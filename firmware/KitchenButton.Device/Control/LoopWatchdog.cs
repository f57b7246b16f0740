using System;
using System.Threading;

namespace KitchenButton.Device.Control
{
    /// <summary>
    /// A software watchdog for the main loop: the loop feeds it every pass, a timer on another thread
    /// checks it every period, and a loop that has not been fed for more than the allowed number of
    /// checks is starved (the firmware restarts the board). It counts feeds instead of comparing
    /// timestamps because a 64-bit tick read is not atomic on a 32-bit chip while an int is.
    /// </summary>
    public sealed class LoopWatchdog
    {
        private readonly int _missesAllowed;
        private int _feeds;
        private int _lastSeen;
        private int _misses;

        /// <param name="missesAllowed">Checks in a row without a feed that are tolerated (a long flash write, a GC).</param>
        public LoopWatchdog(int missesAllowed)
        {
            if (missesAllowed < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(missesAllowed));
            }

            _missesAllowed = missesAllowed;
        }

        /// <summary>From the loop being watched, every pass.</summary>
        public void Feed()
        {
            Interlocked.Increment(ref _feeds);
        }

        /// <summary>From the checking thread, once per period: true when the loop is starved.</summary>
        public bool Check()
        {
            int feeds = Interlocked.CompareExchange(ref _feeds, 0, 0);
            if (feeds != _lastSeen)
            {
                _lastSeen = feeds;
                _misses = 0;
                return false;
            }

            _misses++;
            return _misses > _missesAllowed;
        }
    }
}
