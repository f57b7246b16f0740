namespace KitchenButton.Device.Configuration
{
    /// <summary>A button's validated settings, as parsed by <see cref="DeviceConfigParser"/>.</summary>
    public sealed class DeviceConfig
    {
        public const int DefaultMqttPort = 8883;
        public const int DefaultButtonPin = 4;
        public const int DefaultLedPin = 2;
        public const int NoPin = -1;
        public const int DefaultStatusIntervalSeconds = 900;

        public string WifiSsid { get; internal set; } = string.Empty;

        /// <summary>Empty for an open network.</summary>
        public string WifiPassword { get; internal set; } = string.Empty;

        public string IotEndpoint { get; internal set; } = string.Empty;

        public int MqttPort { get; internal set; } = DefaultMqttPort;

        public string ThingName { get; internal set; } = string.Empty;

        /// <summary>The 32-byte press-signing secret. Never logged.</summary>
        public byte[] Secret { get; internal set; } = new byte[0];

        /// <summary>The chip the pins were checked against.</summary>
        public Chip Chip { get; internal set; } = Chip.Esp32;

        public int ButtonPin { get; internal set; } = DefaultButtonPin;

        public int LedPin { get; internal set; } = DefaultLedPin;

        /// <summary>GPIO of an optional WS2812 pixel, or <see cref="NoPin"/>.</summary>
        public int PixelPin { get; internal set; } = NoPin;

        public int DebounceMs { get; internal set; } = Input.PressDetectorOptions.DefaultDebounceMs;

        public int LongPressMs { get; internal set; } = Input.PressDetectorOptions.DefaultLongPressMs;

        public int StuckMs { get; internal set; } = Input.PressDetectorOptions.DefaultStuckMs;

        public int OutboxCapacity { get; internal set; } = Messaging.Outbox.DefaultCapacity;

        public int StatusIntervalSeconds { get; internal set; } = DefaultStatusIntervalSeconds;

        /// <summary>Battery builds: deep sleep after this long idle with nothing pending (0 = never).</summary>
        public int SleepAfterIdleSeconds { get; internal set; }
    }
}
