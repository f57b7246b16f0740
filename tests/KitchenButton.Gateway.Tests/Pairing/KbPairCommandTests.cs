using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Pairing;

/// <summary>
/// The operator's kb-pair, run as its own process the way operators run it, against dynalite (tables
/// named as a deployed environment's) and the loopback IoT control-plane endpoint.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class KbPairCommandTests : IAsyncLifetime
{
    private static int s_environments;

    private readonly DynaliteProcess _dynalite;
    private readonly LocalAwsEndpoint _iot = new();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "kb-pair-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _environment = "cli" + Interlocked.Increment(ref s_environments);
    private DynamoDeviceDirectory _directory = null!;

    public KbPairCommandTests(DynaliteFixture fixture)
    {
        _dynalite = fixture.Dynalite;
    }

    public async Task InitializeAsync()
    {
        GatewayTables tables = await _dynalite.CreateTablesAsync("kitchenbutton-" + _environment + "-");
        _directory = new DynamoDeviceDirectory(_dynalite.Client, tables, TimeProvider.System);
        await _directory.PutStationAsync(new Station("pizza", "Pizza oven", 1800), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _iot.DisposeAsync();
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Pair_list_and_disable_work_end_to_end_from_the_command_line()
    {
        Run paired = await KbPairAsync("pair", "pizza-oven-1", "pizza", "--wifi-ssid", "Kitchen", "--wifi-password", "hunter22", "--out", _out);
        Assert.True(paired.ExitCode == 0, paired.Error);
        Assert.Contains("paired pizza-oven-1 with station pizza", paired.Output);
        Assert.True(File.Exists(Path.Combine(_out, "pizza-oven-1", "kitchenbutton.ini")));
        Assert.Equal("pizza", _iot.Things["pizza-oven-1"]);

        Run listed = await KbPairAsync("list", "pizza");
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal("pizza-oven-1", listed.Output.Trim());

        Run disabled = await KbPairAsync("disable", "pizza-oven-1");
        Assert.Equal(0, disabled.ExitCode);
        Assert.False((await _directory.FindDeviceAsync("pizza-oven-1", CancellationToken.None))!.Enabled);
        Assert.Equal(string.Empty, (await KbPairAsync("list", "pizza")).Output.Trim());
    }

    [Fact]
    public async Task A_second_board_with_the_same_thing_name_is_refused_with_a_reason_and_exit_code_3()
    {
        Assert.Equal(0, (await KbPairAsync("pair", "pizza-oven-1", "pizza", "--wifi-ssid", "Kitchen", "--out", _out)).ExitCode);

        Run again = await KbPairAsync("pair", "pizza-oven-1", "pizza", "--wifi-ssid", "Kitchen", "--out", Path.Combine(_out, "second"));

        Assert.Equal(3, again.ExitCode);
        Assert.Contains("already paired", again.Error);
        Assert.Single(_iot.Certificates);
    }

    [Fact]
    public async Task Usage_mistakes_exit_2_and_print_the_usage()
    {
        Run unknown = await KbPairAsync("pair", "pizza-oven-1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("is not a command", unknown.Error);
        Assert.Contains("kb-pair pair <thing> <station>", unknown.Error);
        Assert.Empty(_iot.Things);
    }

    private async Task<Run> KbPairAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kb-pair.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--environment");
        start.ArgumentList.Add(_environment);
        start.ArgumentList.Add("--region");
        start.ArgumentList.Add("eu-west-1");
        start.Environment["KB_DYNAMODB_ENDPOINT"] = "http://127.0.0.1:" + _dynalite.Port;
        start.Environment["KB_IOT_ENDPOINT"] = _iot.BaseUri.ToString();
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDLOCAL";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local-secret";
        start.Environment.Remove("AWS_PROFILE");

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("kb-pair did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Run(process.ExitCode, await output, await error);
    }

    private sealed record Run(int ExitCode, string Output, string Error);
}
