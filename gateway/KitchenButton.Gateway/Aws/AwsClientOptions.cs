using System;

namespace KitchenButton.Gateway.Aws;

/// <summary>Where a hand-written AWS client sends its requests and how hard it tries.</summary>
public sealed record AwsClientOptions
{
    /// <summary>The service endpoint, e.g. https://states.eu-west-1.amazonaws.com.</summary>
    public required Uri Endpoint { get; init; }

    public required string Region { get; init; }

    public int MaxAttempts { get; init; } = 3;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The Step Functions endpoint of a region, as the SDK resolves it.</summary>
    public static Uri StepFunctionsEndpoint(string region) => new("https://states." + region + ".amazonaws.com");
}
