using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>The parts of the infrastructure checked by node tools: the workflow suite and the CDK CLI.</summary>
[Trait(Tier.Name, Tier.Outer)]
public sealed class ToolingTests
{
    private static string NodeTools => Path.Combine(RepositoryPaths.Root, "tests", "node");

    [Fact]
    public async Task The_workflow_definition_suite_passes()
    {
        var (exit, output) = await RunAsync("node", "--test --test-reporter=tap workflow/", NodeTools);
        Assert.True(exit == 0, output);
        Assert.Matches(@"# pass [1-9]\d*", output);
        Assert.Contains("# fail 0", output);
    }

    [Fact]
    public async Task The_cdk_cli_synthesises_the_app_offline()
    {
        string template = await SynthAsync("ci");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(template));
        Assert.True(doc.RootElement.GetProperty("Resources").EnumerateObject().Count() > 50);
    }

    [SkippableFact]
    public async Task Cfn_lint_finds_no_error_in_the_dev_and_prod_templates()
    {
        string? missing = Prerequisites.Missing("cfnlint");
        Skip.If(missing != null, missing);
        // What CloudFormation and Lambda will refuse (a deprecated runtime, a wrong property) shows
        // here, not at deploy time. Ignored rules are listed with their reason in one file.
        string ignoreFile = Path.Combine(RepositoryPaths.Root, "gateway", "KitchenButton.Infrastructure", "cfn-lint-ignore.txt");
        string[] ignored = File.ReadAllLines(ignoreFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToArray();
        Assert.All(ignored, rule => Assert.Matches("^[EWI][0-9]{4}$", rule));
        foreach (string environment in new[] { "dev", "prod" })
        {
            string template = await SynthAsync(environment);
            string ignore = ignored.Length == 0 ? string.Empty : "--ignore-checks " + string.Join(' ', ignored) + " ";
            var (exit, output) = await RunAsync("cfn-lint", ignore + "--format parseable -- " + template, JsiiEnvironment.TempRoot);

            // cfn-lint's exit code is a bit set: 2 = errors, 4 = warnings, 8 = informational; 1 = it could not run.
            Assert.True((exit & 3) == 0, environment + ": cfn-lint exit " + exit + "\n" + output);
        }
    }

    [Fact]
    public async Task The_app_refuses_a_bootstrap_built_for_the_other_processor_before_anything_is_synthesised()
    {
        // Its own environment, so its output folder is not the one the offline synth test reads.
        var (exit, log) = await CdkSynthAsync("refused", GatewayArchitecture.X86_64);

        // The app exits 2 with the reason; the CLI then fails the synth.
        Assert.NotEqual(0, exit);
        Assert.Contains("Subprocess exited with error 2", log);
        Assert.Contains("built for x86_64 but the functions run on arm64", log);
        Assert.Contains("-r linux-arm64", log);
    }

    /// <summary>Synthesises the app with the CDK CLI, offline, for one environment; returns the template path.</summary>
    private static async Task<string> SynthAsync(string environment)
    {
        var (exit, log) = await CdkSynthAsync(environment, GatewayArchitecture.Arm64);
        Assert.True(exit == 0, log);
        return Path.Combine(OutputOf(environment), "KitchenButton-" + environment + ".template.json");
    }

    /// <summary>The CDK CLI's synth over a stand-in asset whose bootstrap is built for <paramref name="bootstrapFor"/>.</summary>
    private static async Task<(int Exit, string Log)> CdkSynthAsync(string environment, GatewayArchitecture bootstrapFor)
    {
        string asset = Path.Combine(JsiiEnvironment.TempRoot, "synth-asset-" + bootstrapFor.Name());
        Directory.CreateDirectory(asset);
        await File.WriteAllTextAsync(Path.Combine(asset, "KitchenButton.Gateway.dll"), "stand-in");
        await File.WriteAllBytesAsync(Path.Combine(asset, "bootstrap"), ElfHeader(bootstrapFor));
        string app = "dotnet " + Path.Combine(AppContext.BaseDirectory, "KitchenButton.Infrastructure.dll");
        string cdk = Path.Combine(NodeTools, "node_modules", "aws-cdk", "bin", "cdk");
        return await RunAsync("node", $"{cdk} synth --quiet --app \"{app}\" -o {OutputOf(environment)} -c environment={environment} -c gatewayAsset={asset}",
            Path.Combine(RepositoryPaths.Root, "gateway", "KitchenButton.Infrastructure"));
    }

    private static string OutputOf(string environment) => Path.Combine(JsiiEnvironment.TempRoot, "synth-out-" + environment);

    /// <summary>A stand-in bootstrap: the 64-byte header of a 64-bit little-endian ELF executable for that processor.</summary>
    private static byte[] ElfHeader(GatewayArchitecture architecture)
    {
        byte[] header = new byte[64];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }.CopyTo(header, 0);
        header[16] = 3; // ET_DYN: a position-independent executable, as the AOT publish makes
        BitConverter.GetBytes(architecture.ElfMachine()).CopyTo(header, 18);
        return header;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Offline: no credentials, no account lookups.
        start.Environment["AWS_ACCESS_KEY_ID"] = null;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = null;
        start.Environment["CDK_DISABLE_VERSION_CHECK"] = "1";
        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
