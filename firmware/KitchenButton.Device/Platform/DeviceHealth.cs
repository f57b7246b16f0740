namespace KitchenButton.Device.Platform
{
    /// <summary>What only the shell can measure for a health report; filled in place, reused.</summary>
    public sealed class DeviceHealth
    {
        public uint FreeMemoryBytes { get; set; }

        /// <summary>Wi-Fi signal in dBm (-127..0); -127 when unknown.</summary>
        public int WifiRssi { get; set; } = -127;

        /// <summary>The last error worth an operator's attention, or empty.</summary>
        public string LastError { get; set; } = string.Empty;
    }
}
