namespace KitchenButton.Device.Status
{
    /// <summary>Everything the status LED can tell a cook; each has its own pattern (see <see cref="LedPatterns"/>).</summary>
    public enum DeviceStatus
    {
        Booting = 0,
        Connecting,
        Idle,
        OrdersPending,
        Sending,
        Resumed,
        ProblemSent,
        NothingPending,
        Rejected,
        OfflineWithQueued,
        QueueFull,
        LongPressArmed,
        FaultConfiguration,
        FaultStorage,
        FaultStuckButton,
        FaultCredentials,
    }
}
