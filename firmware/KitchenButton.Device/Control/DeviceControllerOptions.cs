using KitchenButton.Device.Input;
using KitchenButton.Device.Messaging;

namespace KitchenButton.Device.Control
{
    /// <summary>What the <see cref="DeviceController"/> is configured with, apart from its collaborators.</summary>
    public sealed class DeviceControllerOptions
    {
        /// <summary>Earliest credible Unix time (2025-01-01T00:00:00Z): an SNTP answer before it is ignored.</summary>
        public const long DefaultMinimumValidUnixMs = 1735689600000;

        public DeviceControllerOptions(string thingName)
        {
            ThingName = thingName;
        }

        public string ThingName { get; }

        public PressDetectorOptions Press { get; set; } = new PressDetectorOptions();

        public int OutboxCapacity { get; set; } = Outbox.DefaultCapacity;

        /// <summary>A connection attempt with no outcome after this long counts as failed.</summary>
        public int ConnectTimeoutMs { get; set; } = 60000;

        /// <summary>How long "sending" stays on after the PUBACK while the gateway's answer is awaited.</summary>
        public int ResultWaitMs { get; set; } = 8000;

        /// <summary>How long a button held past the stuck time shows "cancelled, release" before it counts as stuck.</summary>
        public int CancelShownMs { get; set; } = 60000;

        /// <summary>Pause before retrying a publish the MQTT client refused to take.</summary>
        public int PublishRetryMs { get; set; } = 1000;

        public long MinimumValidUnixMs { get; set; } = DefaultMinimumValidUnixMs;

        /// <summary>Reported in every health report.</summary>
        public string FirmwareVersion { get; set; } = "0.0.0";

        /// <summary>A health report on every connect and then this often.</summary>
        public int StatusIntervalMs { get; set; } = 900000;
    }
}
