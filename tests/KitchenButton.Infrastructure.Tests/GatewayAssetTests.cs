using System;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>The app's check of the published gateway before it synthesizes (Program.cs exits 2 with the message).</summary>
public sealed class GatewayAssetTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kb-asset-" + Guid.NewGuid().ToString("N"));

    public GatewayAssetTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>This machine's processor, as the stack names it.</summary>
    private static GatewayArchitecture Host => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? GatewayArchitecture.Arm64 : GatewayArchitecture.X86_64;

    private static GatewayArchitecture Other => Host == GatewayArchitecture.Arm64 ? GatewayArchitecture.X86_64 : GatewayArchitecture.Arm64;

    [Fact]
    public void A_missing_asset_is_refused_with_the_command_that_publishes_it()
    {
        var settings = new StackSettings { GatewayAssetPath = Path.Combine(_folder, "absent") };
        string? problem = GatewayAsset.Problem(settings);
        Assert.NotNull(problem);
        Assert.Contains("dotnet publish gateway/KitchenButton.Gateway.Bootstrap -c Release -r linux-arm64", problem);
    }

    [Fact]
    public void A_bootstrap_for_the_functions_processor_is_accepted_and_one_for_the_other_is_refused_with_both_fixes()
    {
        // A real executable of this machine's processor stands in for a bootstrap built here.
        File.Copy(Environment.ProcessPath!, Path.Combine(_folder, "bootstrap"));

        Assert.Null(GatewayAsset.Problem(new StackSettings { GatewayAssetPath = _folder, Architecture = Host }));

        string? problem = GatewayAsset.Problem(new StackSettings { GatewayAssetPath = _folder, Architecture = Other });
        Assert.NotNull(problem);
        Assert.Contains("built for " + Host.Name() + " but the functions run on " + Other.Name(), problem);
        Assert.Contains("-r " + Other.RuntimeIdentifier() + " ", problem);
        Assert.Contains("-c gatewayArchitecture=" + Host.Name(), problem);
    }

    [Fact]
    public void An_aot_asset_without_an_executable_bootstrap_is_refused_and_a_managed_asset_needs_none()
    {
        File.WriteAllText(Path.Combine(_folder, "bootstrap"), "#!/bin/sh\nexec ./something\n");
        string? problem = GatewayAsset.Problem(new StackSettings { GatewayAssetPath = _folder });
        Assert.NotNull(problem);
        Assert.Contains("is not a Linux executable", problem);

        Assert.Null(GatewayAsset.Problem(new StackSettings { GatewayAssetPath = _folder, Runtime = GatewayRuntime.Managed }));
    }
}
