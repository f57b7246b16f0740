using System;
using System.Threading;
using KitchenButton.Device.Time;
using nanoFramework.Networking;

namespace KitchenButton.Firmware.Network
{
    /// <summary>
    /// SNTP and the clock readings handed to the controller. SNTP sets the system clock on its own
    /// (at start and then hourly); this class only reads the clock beside the tick count and lets the
    /// core's <see cref="ClockTracker"/> decide when a reading is trustworthy or a correction. The
    /// clock is never set from flash: the stored floor only says what is too early to be true.
    /// </summary>
    internal sealed class ClockSync
    {
        /// <summary>
        /// How long one request window waits for an answer. <c>Sntp.UpdateNow</c> restarts the client,
        /// whose first request goes out after a random start-up delay of up to 5 s, then needs a round trip.
        /// </summary>
        public const int WindowMs = 15000;

        private const int PollMs = 1000;

        private readonly ClockTracker _tracker;
        private readonly EventQueue _events;

        private readonly bool _afterDeepSleep;

        /// <param name="afterDeepSleep">The board woke from deep sleep: the RTC kept the time, drifting, while it slept.</param>
        public ClockSync(long floorUnixMs, EventQueue events, bool afterDeepSleep)
        {
            _tracker = new ClockTracker(floorUnixMs, ClockTracker.DefaultResyncThresholdMs);
            _events = events;
            _afterDeepSleep = afterDeepSleep;
        }

        public bool IsSynchronised => _tracker.IsSynchronised;

        public void Start()
        {
            if (_afterDeepSleep)
            {
                // The wake press waits, on the tick count, for SNTP's time (ClockTracker.DistrustRtcUntil).
                _tracker.DistrustRtcUntil(Environment.TickCount64 + WindowMs + PollMs);
            }

            Sntp.Server1 = "time.aws.com";
            Sntp.Server2 = "pool.ntp.org";
            if (!Sntp.IsStarted)
            {
                Sntp.Start();
            }
        }

        /// <summary>One request window: asks SNTP for an answer now and polls the clock until it is trustworthy.</summary>
        public bool RequestAndWait()
        {
            Sntp.UpdateNow();
            for (int waited = 0; waited < WindowMs; waited += PollMs)
            {
                Thread.Sleep(PollMs);
                Check();
                if (_tracker.IsSynchronised)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>One reading; the controller hears of the first trustworthy one and of every correction.</summary>
        public void Check()
        {
            long tick = Environment.TickCount64;
            long unix = UnixNowMs();
            if (_tracker.Observe(unix, tick))
            {
                _events.Post(ButtonEvent.TimeSynchronized, tick, unix, null);
            }
        }

        public static long UnixNowMs()
        {
            return (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        }
    }
}
