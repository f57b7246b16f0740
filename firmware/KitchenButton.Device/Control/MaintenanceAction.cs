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

        /// <summary>Battery builds: idle long enough with nothing waiting.</summary>
        DeepSleep,
    }
}
