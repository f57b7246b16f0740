namespace KitchenButton.Device.Control
{
    /// <summary>
    /// The restart and sleep policy, free of hardware. Restarts happen only while the controller is
    /// quiescent (nothing held, queued or awaited), so a restart never loses a press. Memory is measured
    /// by the shell only when <see cref="IsMemoryCheckDue"/> says so: on nanoFramework reading the
    /// managed heap's free space means a full collection, so it runs once a minute, not every loop.
    /// Both heaps are watched: the managed one, and the native ones where mbedTLS keeps its record
    /// buffers (see <see cref="DecideMemory"/> for where each goes).
    /// </summary>
    public sealed class MaintenancePolicy
    {
        public const int MemoryCheckPeriodMs = 60 * 1000;
        public const uint DefaultLowManagedBytes = 24 * 1024;
        /// <summary>Internal RAM kept free for Wi-Fi and lwIP buffers and the TLS contexts, which are always internal.</summary>
        public const uint DefaultLowInternalBytes = 16 * 1024;

        /// <summary>mbedTLS's incoming record buffer: 16384 bytes of content plus header and overhead, one block.</summary>
        public const uint TlsInRecordBytes = 17 * 1024;

        /// <summary>mbedTLS's outgoing record buffer: 4096 bytes of content plus header and overhead, one block.</summary>
        public const uint TlsOutRecordBytes = 5 * 1024;
        public const int DefaultOfflineRestartMs = 30 * 60 * 1000;

        /// <summary>
        /// Offline this long, the board restarts even with presses queued (they live in RAM and are
        /// lost): a link that has not come back in an hour is wedged, not slow, and would hold them
        /// forever; by then they are past the gateway's 15-minute freshness window anyway.
        /// </summary>
        public const int DefaultStrandedRestartMs = 60 * 60 * 1000;

        private readonly int _sleepAfterIdleMs;
        private long _lastActivityAt;
        private long _lastOnlineAt;
        private long _nextMemoryCheckAt;

        /// <param name="sleepAfterIdleMs">Deep sleep after this long idle with nothing pending; 0 = never.</param>
        public MaintenancePolicy(int sleepAfterIdleMs, long nowMs)
        {
            _sleepAfterIdleMs = sleepAfterIdleMs;
            _lastActivityAt = nowMs;
            _lastOnlineAt = nowMs;
            _nextMemoryCheckAt = nowMs + MemoryCheckPeriodMs;
        }

        public uint LowManagedBytes { get; set; } = DefaultLowManagedBytes;

        public uint LowInternalBytes { get; set; } = DefaultLowInternalBytes;

        public int OfflineRestartMs { get; set; } = DefaultOfflineRestartMs;

        public int StrandedRestartMs { get; set; } = DefaultStrandedRestartMs;

        /// <summary>A button edge or other sign of use: postpones deep sleep.</summary>
        public void NoteActivity(long nowMs)
        {
            _lastActivityAt = nowMs;
        }

        /// <summary>True once a minute: the shell then measures memory and calls <see cref="DecideMemory"/>.</summary>
        public bool IsMemoryCheckDue(long nowMs)
        {
            if (nowMs < _nextMemoryCheckAt)
            {
                return false;
            }

            _nextMemoryCheckAt = nowMs + MemoryCheckPeriodMs;
            return true;
        }

        /// <summary>The connection and idle rules; called about once a second.</summary>
        /// <param name="buttonHeld">A cook is holding the button now: nothing restarts under their finger.</param>
        public MaintenanceAction Decide(long nowMs, bool quiescent, bool connected, int pendingOrders, bool buttonHeld)
        {
            if (connected)
            {
                _lastOnlineAt = nowMs;
            }

            if (!quiescent)
            {
                _lastActivityAt = nowMs;
                return !buttonHeld && nowMs - _lastOnlineAt > StrandedRestartMs ? MaintenanceAction.RestartStranded : MaintenanceAction.None;
            }

            if (nowMs - _lastOnlineAt > OfflineRestartMs)
            {
                return MaintenanceAction.RestartOffline;
            }

            if (_sleepAfterIdleMs > 0 && pendingOrders == 0 && nowMs - _lastActivityAt > _sleepAfterIdleMs)
            {
                return MaintenanceAction.DeepSleep;
            }

            return MaintenanceAction.None;
        }

        /// <summary>
        /// The memory rules, on a fresh measurement; a restart only when <paramref name="quiescent"/>.
        /// They follow what the natives allocate (nf-interpreter and ESP-IDF defaults; firmware/README.md):
        /// mbedTLS takes its record buffers with ESP-IDF's calloc on every connect, an incoming record of
        /// 16 KB and a little (<see cref="TlsInRecordBytes"/>) and an outgoing one of 4 KB and a little
        /// (<see cref="TlsOutRecordBytes"/>), and frees them on close. ESP-IDF puts an allocation over
        /// 16 KB in PSRAM first where there is PSRAM, so there the incoming record lives in PSRAM and the
        /// outgoing one in internal RAM; without PSRAM both are internal. Connected, the buffers are
        /// already held, so only the internal heap's headroom for Wi-Fi, lwIP and the TLS contexts is
        /// watched; disconnected, the next connect must find a block for each record.
        /// </summary>
        public MaintenanceAction DecideMemory(bool quiescent, bool connected, uint managedFree, NativeHeaps heaps)
        {
            if (!quiescent)
            {
                return MaintenanceAction.None;
            }

            if (managedFree < LowManagedBytes)
            {
                return MaintenanceAction.RestartLowManagedMemory;
            }

            if (heaps.InternalFree < LowInternalBytes)
            {
                return MaintenanceAction.RestartLowNativeMemory;
            }

            if (!connected)
            {
                uint inRecordRoom = heaps.HasPsram ? heaps.PsramLargestBlock : heaps.InternalLargestBlock;
                if (inRecordRoom < TlsInRecordBytes || heaps.InternalLargestBlock < TlsOutRecordBytes)
                {
                    return MaintenanceAction.RestartLowNativeMemory;
                }
            }

            return MaintenanceAction.None;
        }
    }
}
