using System;
using System.Diagnostics;
using System.Threading;
using nanoFramework.Networking;

namespace KitchenButton.Firmware.Network
{
    /// <summary>
    /// SNTP with retries: some boards need several attempts before the first answer. The time counts
    /// as known only once it is later than the stored lower bound and than 2025.
    /// </summary>
    internal static class ClockSync
    {
        public static bool TrySynchronise(int attempts, int delayMs)
        {
            Sntp.Server1 = "pool.ntp.org";
            Sntp.Server2 = "time.aws.com";
            Sntp.Start();
            for (int i = 0; i < attempts; i++)
            {
                Sntp.UpdateNow();
                Thread.Sleep(delayMs);
                if (DateTime.UtcNow.Year >= 2025)
                {
                    return true;
                }

                Debug.WriteLine("sntp: no answer yet (attempt " + (i + 1).ToString() + ")");
            }

            return false;
        }

        public static long UnixMilliseconds()
        {
            return (DateTime.UtcNow.Ticks - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks) / TimeSpan.TicksPerMillisecond;
        }
    }
}
