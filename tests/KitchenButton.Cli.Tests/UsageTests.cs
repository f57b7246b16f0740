using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>What a new operator meets first: mistakes answered in one line that names the fix, exit code 2, no stack trace.</summary>
public sealed class UsageTests
{
    [Fact]
    public async Task A_missing_region_is_one_clear_line_with_exit_code_2()
    {
        CliRun run = await OperatorStack.RunBareAsync("station", "list", "--environment", "prod");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("kitchenbutton: no AWS region: pass --region, or set AWS_REGION, or give your profile a region", run.Error.Trim());
    }

    [Fact]
    public async Task Missing_credentials_are_one_clear_line_with_exit_code_2()
    {
        CliRun run = await OperatorStack.RunBareAsync("station", "list", "--environment", "prod", "--region", "eu-west-1");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("kitchenbutton: no AWS credentials found", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task An_unknown_profile_is_named()
    {
        CliRun run = await OperatorStack.RunBareAsync("device", "list", "-e", "prod", "--profile", "kitchen-admin");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("no AWS profile 'kitchen-admin'", run.Error);
    }

    [Fact]
    public async Task The_environment_is_required_against_AWS()
    {
        CliRun run = await OperatorStack.RunBareAsync("order", "list", "--region", "eu-west-1");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--environment is required", run.Error);
    }

    [Fact]
    public async Task A_missing_option_or_argument_is_named_and_nothing_is_resolved()
    {
        CliRun run = await OperatorStack.RunBareAsync("device", "pair", "pizza-oven-1");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'--wifi-ssid' is required", run.Error);
        Assert.Contains("'station' missing", run.Error);
        Assert.Contains("kitchenbutton device pair --help", run.Error);
    }

    [Fact]
    public async Task The_wifi_password_is_never_taken_on_the_command_line()
    {
        CliRun onLine = await OperatorStack.RunBareAsync("device", "pair", "a", "pizza", "--wifi-ssid", "K", "--wifi-password", "hunter22");
        Assert.Equal(ExitCodes.Usage, onLine.ExitCode);
        Assert.Contains("--wifi-password", onLine.Error);

        // No terminal to ask at and no file: refused before anything is created.
        CliRun noTerminal = await OperatorStack.RunBareAsync("device", "pair", "a", "pizza", "--wifi-ssid", "K", "-e", "prod");
        Assert.Equal(ExitCodes.Usage, noTerminal.ExitCode);
        Assert.Contains("Wi-Fi password is needed", noTerminal.Error);
    }

    [Fact]
    public async Task Local_without_a_running_stack_says_how_to_start_one()
    {
        CliRun run = await OperatorStack.RunBareAsync("station", "list", "--local");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("no local stack is running", run.Error);
        Assert.Contains("-- serve", run.Error);
    }
}
