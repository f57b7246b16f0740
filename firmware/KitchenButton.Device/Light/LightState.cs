namespace KitchenButton.Device.Light
{
    /// <summary>Everything the status LED can tell a cook; each has its own pattern (see <see cref="LedPatterns"/>).</summary>
    public enum LightState
    {
        Booting = 0,
        Connecting,
        Idle,
        OrdersWaiting,
        Sending,
        Resumed,
        ProblemSent,
        NothingWaiting,
        Rejected,
        OfflineWithQueued,
        QueueFull,
        LongPressArmed,
        FaultConfiguration,
        FaultStorage,
        FaultStuckButton,
        FaultCredentials,

        /// <summary>Held past the stuck time: the press is cancelled, release the button (a fault only if it stays held).</summary>
        Cancelling,
    }
}
