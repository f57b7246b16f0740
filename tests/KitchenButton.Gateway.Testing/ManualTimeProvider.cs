using System;

namespace KitchenButton.Gateway.Testing;

/// <summary>A clock the test sets; timers and delays still run in real time.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public ManualTimeProvider(DateTimeOffset now)
    {
        Now = now;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
