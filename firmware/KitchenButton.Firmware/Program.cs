using System;
using System.Threading;
using nanoFramework.Runtime.Native;

namespace KitchenButton.Firmware
{
    /// <summary>Entry point of the button firmware.</summary>
    public static class Program
    {
        /// <summary>How long the reason stays on the serial log before the restart: long enough to read it.</summary>
        private const int RestartAfterMs = 10000;

        public static void Main()
        {
            try
            {
                new ButtonApp().Run();
            }
            catch (Exception e)
            {
                // Configuration and credential faults never get here (they blink forever): this is a
                // bug or a peripheral that failed to open. A logged restart, never a silent dead board.
                Log.Line("FAULT: unhandled " + e.GetType().Name + " at start: " + e.Message + "; restarting in " + (RestartAfterMs / 1000).ToString() + " s");
                Thread.Sleep(RestartAfterMs);
                Power.RebootDevice();
            }

            Thread.Sleep(Timeout.Infinite);
        }
    }
}
