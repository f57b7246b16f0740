namespace KitchenButton.Device.Configuration
{
    /// <summary>The chip a board carries, as far as its pins differ.</summary>
    public enum Chip
    {
        /// <summary>The classic ESP32 (WROVER and WROOM modules, DevKitC).</summary>
        Esp32,

        /// <summary>An ESP32-S3 with quad PSRAM (or none).</summary>
        Esp32S3,

        /// <summary>An ESP32-S3 with octal PSRAM (N8R8): GPIO 33-37 belong to the PSRAM too.</summary>
        Esp32S3Octal,

        /// <summary>A chip this firmware was not written for (S2, C3, C6, H2, P4...).</summary>
        Unsupported,
    }
}
