namespace KitchenButton.Testing;

/// <summary>
/// The test tiers. The inner loop (device core, gateway logic, engine semantics, CLI parsing) is every
/// test without a tier: `dotnet test KitchenButton.sln --filter Tier!=Outer`. The outer loop, marked
/// <c>[Trait(Tier.Name, Tier.Outer)]</c>, is what starts real processes or builds: the local stack,
/// the AOT and arm64 binaries, the CDK CLI and cfn-lint, the fault sweeps, the packaged tool.
/// </summary>
public static class Tier
{
    public const string Name = "Tier";

    public const string Outer = "Outer";
}
