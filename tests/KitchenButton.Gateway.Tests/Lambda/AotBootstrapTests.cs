using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Lambda;

/// <summary>Publishes the custom-runtime bootstrap with Native AOT once, as it ships.</summary>
public sealed class AotBootstrapFixture : IAsyncLifetime
{
    public string Binary { get; private set; } = string.Empty;

    public string PublishLog { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        (string? binary, string log) = await LocalBootstrap.PublishSharedAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Binary = binary ?? string.Empty;
        PublishLog = log;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The AOT-published bootstrap, started as Lambda starts it (AWS_LAMBDA_RUNTIME_API, _HANDLER, the
/// stack's environment), answering a real press against dynalite and the loopback Step Functions
/// endpoint through the local Runtime API.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class AotBootstrapTests : IClassFixture<AotBootstrapFixture>
{
    private static readonly byte[] Secret = new byte[32];
    private readonly DynaliteFixture _dynalite;
    private readonly AotBootstrapFixture _bootstrap;

    public AotBootstrapTests(DynaliteFixture dynalite, AotBootstrapFixture bootstrap)
    {
        _dynalite = dynalite;
        _bootstrap = bootstrap;
    }

    [Fact]
    public void The_bootstrap_publishes_with_native_aot_and_no_trim_or_aot_warning()
    {
        Assert.True(File.Exists(_bootstrap.Binary), _bootstrap.PublishLog);
        Assert.DoesNotMatch(@"warning IL[23]\d{3}", _bootstrap.PublishLog);
    }

    [Fact]
    public async Task A_press_goes_through_the_aot_binary_as_lambda_runs_it()
    {
        Assert.True(File.Exists(_bootstrap.Binary), _bootstrap.PublishLog);

        // Real time throughout: the binary's clock is the machine's.
        await using GatewayHarness gw = await GatewayHarness.CreateAsync(_dynalite.Dynalite, liveClock: true);
        await gw.PairAsync("pizza-oven-1", "pizza", Secret);
        string token = await gw.EnqueueOrderAsync("pizza", "ord-1");
        await using var runtime = new LocalRuntimeApi();

        ProcessStartInfo start = LocalBootstrap.StartInfo(_bootstrap.Binary, gw, runtime, "KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::PressAsync");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        try
        {
            byte[] press = PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), receivedAtMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            RuntimeOutcome outcome = await runtime.InvokeAsync(press, DateTimeOffset.UtcNow.AddSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Null(outcome.ErrorType);
            using JsonDocument doc = JsonDocument.Parse(outcome.Response!);
            Assert.Equal("resumed", doc.RootElement.GetProperty("result").GetString());
            Assert.Equal("ord-1", doc.RootElement.GetProperty("orderId").GetString());
            Assert.Equal("success", gw.Aws.StateOf(token));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        // Its logs and its one EMF document went to the raw standard output, one JSON object a line.
        string log = await output;
        Assert.Contains("\"message\":\"press handled\"", log);
        Assert.Contains("\"_aws\":", log);
    }
}
