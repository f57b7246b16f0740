namespace KitchenButton.Device.Platform
{
    /// <summary>
    /// What the device controller asks the hardware shell to do. Every call is made from the shell's own
    /// thread (inside a controller method), so implementations need no locking of their own.
    /// </summary>
    public interface IDeviceActions
    {
        /// <summary>
        /// Writes the boot counter to non-volatile storage before any press of this boot is sent,
        /// so (thing, boot, seq) never repeats. Returns false when storage failed.
        /// </summary>
        bool PersistBootCounter(uint boot);

        /// <summary>
        /// Starts MQTT connection attempt <paramref name="attempt"/>; the shell reports its outcome to
        /// the controller with the same number, so a result that arrives after the controller gave up
        /// on the attempt is told apart from the current one.
        /// </summary>
        void RequestConnect(uint attempt);

        /// <summary>
        /// The controller gave up on <paramref name="attempt"/> (it outlived the connect timeout): the
        /// shell closes whatever the attempt holds or will produce, which also ends a TLS handshake the
        /// native stack would otherwise wait on forever.
        /// </summary>
        void AbandonConnect(uint attempt);

        /// <summary>
        /// Publishes a press with QoS 1 to the thing's press topic. Returns the MQTT packet identifier
        /// the shell will acknowledge with, or 0 when the message could not be handed to the client.
        /// </summary>
        ushort PublishPress(byte[] payload, int count);

        /// <summary>Drives the status LED; called only when its output changes.</summary>
        void SetLed(bool on, uint rgb);

        /// <summary>Fills in what the shell measures (free memory, Wi-Fi signal, last error) for a health report.</summary>
        void ReadHealth(DeviceHealth health);

        /// <summary>Publishes a health report with QoS 0 to the thing's status topic; losing one is harmless.</summary>
        void PublishStatus(byte[] payload, int count);
    }
}
