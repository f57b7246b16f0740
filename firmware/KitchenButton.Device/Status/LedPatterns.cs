namespace KitchenButton.Device.Status;

/// <summary>
/// The pattern of each status. Chosen so a single-colour LED is still unambiguous at a glance:
/// steady states repeat, results play once, faults blink a count (2 = config, 3 = credentials,
/// 4 = storage, 5 = stuck button) then pause. hardware.md has the table for kitchen staff.
/// </summary>
public static class LedPatterns
{
    private const uint White = 0xFFFFFF;
    private const uint Blue = 0x0000FF;
    private const uint Amber = 0xFFA000;
    private const uint Green = 0x00FF00;
    private const uint Orange = 0xFF4000;
    private const uint Red = 0xFF0000;
    private const uint Cyan = 0x00FFFF;

    public static readonly LedPattern Booting = new LedPattern(White, true, new int[] { 100, 100 });
    public static readonly LedPattern Connecting = new LedPattern(Blue, true, new int[] { 200, 800 });

    /// <summary>A short heartbeat so staff can tell "idle" from "dead".</summary>
    public static readonly LedPattern Idle = new LedPattern(Green, true, new int[] { 40, 4960 });
    public static readonly LedPattern OrdersPending = new LedPattern(Amber, true, new int[] { 1000 });
    public static readonly LedPattern Sending = new LedPattern(Cyan, true, new int[] { 60, 60 });
    public static readonly LedPattern Resumed = new LedPattern(Green, false, new int[] { 1500 });
    public static readonly LedPattern ProblemSent = new LedPattern(Orange, false, new int[] { 400, 200, 400, 200, 400 });
    public static readonly LedPattern NothingPending = new LedPattern(Amber, false, new int[] { 100, 150, 100 });
    public static readonly LedPattern Rejected = new LedPattern(Red, false, new int[] { 80, 80, 80, 80, 80, 80, 80, 80, 80 });
    public static readonly LedPattern OfflineWithQueued = new LedPattern(Red, true, new int[] { 100, 150, 100, 1650 });
    public static readonly LedPattern QueueFull = new LedPattern(Red, false, new int[] { 3000 });
    public static readonly LedPattern LongPressArmed = new LedPattern(Orange, true, new int[] { 1000 });
    public static readonly LedPattern FaultConfiguration = Count(2);
    public static readonly LedPattern FaultCredentials = Count(3);
    public static readonly LedPattern FaultStorage = Count(4);
    public static readonly LedPattern FaultStuckButton = Count(5);

    public static LedPattern For(DeviceStatus status)
    {
        switch (status)
        {
            case DeviceStatus.Booting: return Booting;
            case DeviceStatus.Connecting: return Connecting;
            case DeviceStatus.Idle: return Idle;
            case DeviceStatus.OrdersPending: return OrdersPending;
            case DeviceStatus.Sending: return Sending;
            case DeviceStatus.Resumed: return Resumed;
            case DeviceStatus.ProblemSent: return ProblemSent;
            case DeviceStatus.NothingPending: return NothingPending;
            case DeviceStatus.Rejected: return Rejected;
            case DeviceStatus.OfflineWithQueued: return OfflineWithQueued;
            case DeviceStatus.QueueFull: return QueueFull;
            case DeviceStatus.LongPressArmed: return LongPressArmed;
            case DeviceStatus.FaultConfiguration: return FaultConfiguration;
            case DeviceStatus.FaultCredentials: return FaultCredentials;
            case DeviceStatus.FaultStorage: return FaultStorage;
            default: return FaultStuckButton;
        }
    }

    private static LedPattern Count(int blinks)
    {
        int[] steps = new int[blinks * 2];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = 200;
        }

        // The last "off" step is the pause between counts.
        steps[steps.Length - 1] = 1500;
        return new LedPattern(Red, true, steps);
    }
}
