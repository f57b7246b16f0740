using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>The tool installs as operators install it: `dotnet pack`, then `dotnet tool install` from the local package.</summary>
[Trait(Tier.Name, Tier.Outer)]
public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_package_installs_as_the_kitchenbutton_command()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kb-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The build this test run already made (no restore or build here: other tests publish in parallel).
            string project = Path.Combine(RepositoryPaths.Root, "tool", "KitchenButton.Cli", "KitchenButton.Cli.csproj");
            string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            (int packed, string packOutput) = await RunAsync("dotnet", "pack", project, "-c", configuration, "--no-build", "--no-restore", "-o", Path.Combine(folder, "packages"));
            Assert.True(packed == 0, packOutput);
            (int installed, string installOutput) = await RunAsync("dotnet", "tool", "install", "KitchenButton.Cli", "--tool-path", Path.Combine(folder, "tools"), "--add-source", Path.Combine(folder, "packages"));
            Assert.True(installed == 0, installOutput);

            (int help, string helpOutput) = await RunAsync(Path.Combine(folder, "tools", "kitchenbutton"), "device", "--help");
            Assert.Equal(0, help);
            foreach (string verb in new[] { "pair", "list", "show", "move", "enable", "disable", "rotate-secret", "forget" })
            {
                Assert.Contains("  " + verb, helpOutput);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }
}
