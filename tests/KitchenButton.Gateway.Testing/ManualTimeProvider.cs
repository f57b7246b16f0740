using System;

namespace KitchenButton.Gateway.Testing;

/// <summary>
/// A clock the test sets, or (following the system clock) the real time for the local stack; timers
/// and delays run in real time either way.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset now)
    {
        _now = now;
    }

    /// <summary>When true, the clock reads the system time and setting it has no effect.</summary>
    public bool FollowsSystemClock { get; init; }

    public DateTimeOffset Now
    {
        get => FollowsSystemClock ? DateTimeOffset.UtcNow : _now;
        set => _now = value;
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
