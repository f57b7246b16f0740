using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Control
{
    /// <summary>
    /// Where this boot's counter starts. Press ids are (thing, boot, seq), so a boot counter that
    /// restarted at 1 would repeat ids the gateway already answered. The stored counter is trusted only
    /// when it reads as a number; a counter that is missing (a new board, or a wiped file) or unreadable
    /// continues from a random point in [2^20, 2^31) instead of 0, drawn from the board's hardware random
    /// generator (nanoFramework's <c>Random</c> on the ESP32 is <c>esp_random</c>). A repeat then needs the
    /// draw to land inside the few thousand counters this thing ever used, about one chance in a million
    /// per lost counter.
    /// Only a failing write is a storage fault (<see cref="DeviceController.Start"/>).
    /// </summary>
    public static class BootCounter
    {
        /// <summary>Lowest restart point after a lost counter: above any counter a board reaches by rebooting.</summary>
        public const uint RestartFloor = 1u << 20;

        /// <summary>
        /// The previous boot's counter, for <see cref="DeviceController.Start"/>: the stored value, or a
        /// random restart point when <paramref name="stored"/> is null, not a decimal number, or so
        /// large that the next boot would wrap around.
        /// </summary>
        public static uint Previous(string? stored, IRandomSource random)
        {
            uint value;
            if (stored != null && TryParse(stored.Trim(), out value) && value < uint.MaxValue)
            {
                return value;
            }

            return RestartFloor + (uint)random.Next(int.MaxValue - (int)RestartFloor);
        }

        /// <summary>Strict decimal: 1 to 10 digits, nothing else.</summary>
        private static bool TryParse(string text, out uint value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 10)
            {
                return false;
            }

            ulong result = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                result = (result * 10) + (ulong)(c - '0');
            }

            if (result > uint.MaxValue)
            {
                return false;
            }

            value = (uint)result;
            return true;
        }
    }
}
