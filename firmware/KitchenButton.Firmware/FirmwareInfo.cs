namespace KitchenButton.Firmware
{
    /// <summary>Facts about this build and the files it expects on the internal flash (I:\).</summary>
    internal static class FirmwareInfo
    {
        public const string Version = "0.1.0";

        public const string ConfigFile = "I:\\kitchenbutton.ini";
        public const string RootCaFile = "I:\\AmazonRootCA1.pem";
        public const string CertificateFile = "I:\\device.cert.pem";
        public const string PrivateKeyFile = "I:\\device.private.key";
        public const string BootCounterFile = "I:\\boot.counter";
        public const string ClockFloorFile = "I:\\clock.floor.ms";

        /// <summary>Below this much free managed memory the button restarts, between presses.</summary>
        public const uint LowMemoryBytes = 24 * 1024;

        /// <summary>Offline this long without a single successful connection: restart the board.</summary>
        public const int OfflineRestartMs = 30 * 60 * 1000;

        public const int TickMs = 20;

        /// <summary>The software watchdog checks the main loop this often ...</summary>
        public const int WatchdogPeriodMs = 10 * 1000;

        /// <summary>... and restarts the board after this many checks without a pass (two minutes: longer than a TLS write timeout).</summary>
        public const int WatchdogMissesAllowed = 12;
    }
}
