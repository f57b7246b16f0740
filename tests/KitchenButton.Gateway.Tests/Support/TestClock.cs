using System;
using KitchenButton.LocalAws;
using Microsoft.Extensions.Time.Testing;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>The clock a gateway test sets: the local gateway runs on whatever clock it is given, and a test gives it this one.</summary>
public static class TestClock
{
    /// <summary>A clock stopped at <see cref="LocalGateway.Start"/>, moved only by the test.</summary>
    public static FakeTimeProvider Start() => new(LocalGateway.Start);

    extension(LocalGateway gateway)
    {
        /// <summary>The test's clock of a gateway created with <see cref="Start"/>.</summary>
        public FakeTimeProvider Clock => gateway.Time as FakeTimeProvider
            ?? throw new InvalidOperationException("this gateway runs on real time: create it with time: TestClock.Start()");
    }
}
