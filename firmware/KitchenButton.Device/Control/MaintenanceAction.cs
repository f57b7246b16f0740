namespace KitchenButton.Device.Control
{
    /// <summary>What <see cref="MaintenancePolicy"/> tells the shell to do now.</summary>
    public enum MaintenanceAction
    {
        None = 0,

        /// <summary>The managed heap is nearly full.</summary>
        RestartLowManagedMemory,

        /// <summary>The native heap (mbedTLS, lwIP, Wi-Fi) is nearly full or too fragmented for a TLS record buffer.</summary>
        RestartLowNativeMemory,

        /// <summary>No broker connection for too long: a restart clears a wedged Wi-Fi or TLS stack.</summary>
        RestartOffline,

        /// <summary>
        /// No broker connection for so long that the presses the board holds can no longer leave it
        /// (a hung network thread, a wedged Wi-Fi driver): a restart, although it loses them.
        /// </summary>
        RestartStranded,

        /// <summary>Battery builds: idle long enough with nothing waiting.</summary>
        DeepSleep,
    }
}
