namespace KitchenButton.Device.Light
{
    /// <summary>
    /// The pattern of each status. A kitchen button may have one single-colour LED, so every state a
    /// cook must tell apart differs in rhythm, never only in colour: in the number of flashes per cycle,
    /// in how long each flash is (short ≤ 150 ms, medium ≤ 600 ms, long), or in how fast it repeats.
    /// Results play once over the steady state and are shaped unlike any steady state, so "resumed"
    /// never blends into "more orders waiting". Faults blink a count (2 = configuration, 3 =
    /// credentials, 4 = storage, 5 = stuck button) then pause. hardware.md has the table for cooks;
    /// <c>LedPatternTests</c> checks that no two states share a rhythm.
    /// </summary>
    public static class LedPatterns
    {
        private const uint White = 0xFFFFFF;
        private const uint Blue = 0x0000FF;
        private const uint Amber = 0xFFA000;
        private const uint Green = 0x00FF00;
        private const uint Orange = 0xFF4000;
        private const uint Red = 0xFF0000;
        private const uint Cyan = 0x00FFFF;

        /// <summary>Steady on: only seen for the first seconds after power-on.</summary>
        public static readonly LedPattern Booting = new LedPattern(White, true, new int[] { 1000 });

        /// <summary>Even slow blink, once a second.</summary>
        public static readonly LedPattern Connecting = new LedPattern(Blue, true, new int[] { 500, 500 });

        /// <summary>A tiny blip every 3 s, so staff can tell "idle" from "dead".</summary>
        public static readonly LedPattern Idle = new LedPattern(Green, true, new int[] { 40, 2960 });

        /// <summary>One short blip, then a pause: one order is waiting at this station.</summary>
        public static readonly LedPattern OneWaiting = new LedPattern(Amber, true, new int[] { 100, 1300 });

        /// <summary>Two short blips, then a pause: two orders are waiting.</summary>
        public static readonly LedPattern TwoWaiting = new LedPattern(Amber, true, new int[] { 100, 150, 100, 1300 });

        /// <summary>Three short blips, then a pause: three orders are waiting.</summary>
        public static readonly LedPattern ThreeWaiting = new LedPattern(Amber, true, new int[] { 100, 150, 100, 150, 100, 1300 });

        /// <summary>Four short blips, then a pause: four or more are waiting ("many": a cook counts to three at a glance).</summary>
        public static readonly LedPattern ManyWaiting = new LedPattern(Amber, true, new int[] { 100, 150, 100, 150, 100, 150, 100, 1300 });

        /// <summary>Two long flashes, then a long pause, while the button is still held past the stuck time: the press is cancelled, release it.</summary>
        public static readonly LedPattern Cancelling = new LedPattern(White, true, new int[] { 800, 300, 800, 2100 });

        /// <summary>Quick ticks while a press is on its way.</summary>
        public static readonly LedPattern Sending = new LedPattern(Cyan, true, new int[] { 60, 140 });

        /// <summary>On for three seconds: the oldest order was marked ready (readable from across the kitchen, after the press).</summary>
        public static readonly LedPattern Resumed = new LedPattern(Green, false, new int[] { 3000 });

        /// <summary>Three long flashes over three seconds: the problem was reported.</summary>
        public static readonly LedPattern ProblemSent = new LedPattern(Orange, false, new int[] { 800, 300, 800, 300, 800 });

        /// <summary>A short flash then a medium one, twice: nothing was waiting, nothing changed.</summary>
        public static readonly LedPattern NothingWaiting = new LedPattern(Amber, false, new int[] { 100, 200, 600, 700, 100, 200, 600 });

        /// <summary>
        /// Three short, three long, three short (SOS), about five seconds: the press was refused. Nothing
        /// like the quick even ticks of "sending", which a cook took it for.
        /// </summary>
        public static readonly LedPattern Rejected = new LedPattern(Red, false, new int[] { 150, 150, 150, 150, 150, 450, 700, 300, 700, 300, 700, 450, 150, 150, 150, 150, 150 });

        /// <summary>A long flash and a short one, then a pause: offline, presses are kept and will be sent.</summary>
        public static readonly LedPattern OfflineWithQueued = new LedPattern(Red, true, new int[] { 900, 200, 100, 800 });

        /// <summary>Three flickers and a long flash: the press could not be kept (queue full).</summary>
        public static readonly LedPattern QueueFull = new LedPattern(Red, false, new int[] { 80, 80, 80, 80, 80, 80, 2100 });

        /// <summary>Triple flicker while the button is held past the long-press time: release now for "problem".</summary>
        public static readonly LedPattern LongPressArmed = new LedPattern(Orange, true, new int[] { 80, 80, 80, 80, 80, 600 });

        public static readonly LedPattern FaultConfiguration = Count(2);
        public static readonly LedPattern FaultCredentials = Count(3);
        public static readonly LedPattern FaultStorage = Count(4);
        public static readonly LedPattern FaultStuckButton = Count(5);

        public static LedPattern For(LightState status)
        {
            switch (status)
            {
                case LightState.Booting: return Booting;
                case LightState.Connecting: return Connecting;
                case LightState.Idle: return Idle;
                case LightState.OrdersWaiting: return OneWaiting;
                case LightState.Cancelling: return Cancelling;
                case LightState.Sending: return Sending;
                case LightState.Resumed: return Resumed;
                case LightState.ProblemSent: return ProblemSent;
                case LightState.NothingWaiting: return NothingWaiting;
                case LightState.Rejected: return Rejected;
                case LightState.OfflineWithQueued: return OfflineWithQueued;
                case LightState.QueueFull: return QueueFull;
                case LightState.LongPressArmed: return LongPressArmed;
                case LightState.FaultConfiguration: return FaultConfiguration;
                case LightState.FaultCredentials: return FaultCredentials;
                case LightState.FaultStorage: return FaultStorage;
                default: return FaultStuckButton;
            }
        }

        /// <summary>The pattern of "orders waiting" for <paramref name="count"/> of them: one, two, three blips, or four for many.</summary>
        public static LedPattern Waiting(int count)
        {
            return count <= 1 ? OneWaiting : count == 2 ? TwoWaiting : count == 3 ? ThreeWaiting : ManyWaiting;
        }

        private static LedPattern Count(int blinks)
        {
            int[] steps = new int[blinks * 2];
            for (int i = 0; i < steps.Length; i++)
            {
                steps[i] = 250;
            }

            // The last "off" step is the pause between counts.
            steps[steps.Length - 1] = 1500;
            return new LedPattern(Red, true, steps);
        }
    }
}
