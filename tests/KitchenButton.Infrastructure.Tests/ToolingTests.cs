using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>The parts of the infrastructure checked by node tools: the workflow suite and the CDK CLI.</summary>
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

    [Fact]
    public async Task Cfn_lint_finds_no_error_in_the_dev_and_prod_templates()
    {
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

    /// <summary>Synthesises the app with the CDK CLI, offline, for one environment; returns the template path.</summary>
    private static async Task<string> SynthAsync(string environment)
    {
        string asset = Path.Combine(JsiiEnvironment.TempRoot, "synth-asset");
        Directory.CreateDirectory(asset);
        await File.WriteAllTextAsync(Path.Combine(asset, "KitchenButton.Gateway.dll"), "stand-in");
        string output = Path.Combine(JsiiEnvironment.TempRoot, "synth-out-" + environment);
        string app = "dotnet " + Path.Combine(AppContext.BaseDirectory, "KitchenButton.Infrastructure.dll");
        string cdk = Path.Combine(NodeTools, "node_modules", "aws-cdk", "bin", "cdk");
        var (exit, log) = await RunAsync("node", $"{cdk} synth --quiet --app \"{app}\" -o {output} -c environment={environment} -c gatewayAsset={asset}",
            Path.Combine(RepositoryPaths.Root, "gateway", "KitchenButton.Infrastructure"));
        Assert.True(exit == 0, log);
        return Path.Combine(output, "KitchenButton-" + environment + ".template.json");
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
