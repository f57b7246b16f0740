namespace KitchenButton.Cli.Connection;

/// <summary>The global options that say where the tool works: an environment in an AWS account, or the local stack.</summary>
public sealed record AwsTarget(string? Environment, string? Region, string? Profile, bool Local);
