using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Lambda.Runtime;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Lambda;

/// <summary>
/// The custom runtime's loop against a loopback Lambda Runtime API speaking the documented protocol
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): success, handler error,
/// initialization error, and a deadline already passed.
/// </summary>
public sealed class RuntimeLoopTests : GatewayTestBase
{
    private static readonly byte[] Secret = new byte[32];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly LocalRuntimeApi _runtime = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();

    public RuntimeLoopTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    protected override async Task CleanUpAsync()
    {
        _stop.Cancel();
        await _runtime.DisposeAsync();
        _http.Dispose();
    }

    private Task RunAsync(string handler, int invocations, Func<GatewayComposition>? compose = null) =>
        LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(_http, _runtime.Address), handler, compose ?? (() => Gw.Composition), invocations, _stop.Token);

    private byte[] PressEvent(uint seq) => PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 1, seq, Gw.Now.ToUnixTimeSeconds()), receivedAtMs: Gw.Now.ToUnixTimeMilliseconds());

    [Fact]
    public async Task An_invocation_is_answered_with_the_handlers_json()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Task loop = RunAsync("KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::PressAsync", 1);
        RuntimeOutcome outcome = await _runtime.InvokeAsync(PressEvent(1), Gw.Now.AddSeconds(30)).WaitAsync(Patience);
        await loop.WaitAsync(Patience);

        Assert.Null(outcome.ErrorType);
        using JsonDocument doc = JsonDocument.Parse(outcome.Response!);
        Assert.Equal("resumed", doc.RootElement.GetProperty("result").GetString());
        Assert.Equal("ord-1", doc.RootElement.GetProperty("orderId").GetString());
        Assert.Equal("success", Gw.Aws.StateOf(token));
    }

    [Fact]
    public async Task A_handler_that_throws_fails_that_invocation_only_and_the_loop_goes_on()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Gw.Aws.InjectFaults(Fault.ServerError, 3);
        Task loop = RunAsync("PressAsync", 2);

        RuntimeOutcome failed = await _runtime.InvokeAsync(PressEvent(1), Gw.Now.AddSeconds(30)).WaitAsync(Patience);
        Assert.Equal("Runtime.RetryLaterException", failed.ErrorType);
        using (JsonDocument error = JsonDocument.Parse(failed.ErrorBody!))
        {
            Assert.Equal("RetryLaterException", error.RootElement.GetProperty("errorType").GetString());
            Assert.Contains("Step Functions did not take the answer", error.RootElement.GetProperty("errorMessage").GetString());
        }

        // Lambda's retry of the same event: this time it lands.
        RuntimeOutcome retried = await _runtime.InvokeAsync(PressEvent(1), Gw.Now.AddSeconds(30)).WaitAsync(Patience);
        await loop.WaitAsync(Patience);
        Assert.Contains("\"result\":\"resumed\"", retried.Response);
        Assert.Equal("success", Gw.Aws.StateOf(token));
    }

    [Theory]
    [InlineData("KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::NoSuchAsync")]
    [InlineData(null)]
    public async Task A_handler_setting_that_names_no_entry_point_is_an_initialization_error(string? handler)
    {
        await RunAsync(handler!, 1).WaitAsync(Patience);
        using JsonDocument error = JsonDocument.Parse(await _runtime.InitError.WaitAsync(Patience));
        Assert.Equal("ArgumentException", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_gateway_that_cannot_be_built_is_an_initialization_error_naming_what_is_missing()
    {
        await RunAsync("PressAsync", 1, () => GatewayComposition.FromEnvironment()).WaitAsync(Patience);
        string error = await _runtime.InitError.WaitAsync(Patience);
        Assert.Contains("KB_PENDING_TABLE is not set", error);
    }

    [Fact]
    public async Task An_invocation_whose_deadline_has_passed_answers_nothing_and_fails_for_a_retry()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Task loop = RunAsync("PressAsync", 1);
        RuntimeOutcome outcome = await _runtime.InvokeAsync(PressEvent(1), Gw.Now.AddSeconds(-1)).WaitAsync(Patience);
        await loop.WaitAsync(Patience);

        Assert.Equal("Runtime.RetryLaterException", outcome.ErrorType);
        Assert.Empty(Gw.Aws.Answers);
        Assert.Equal("waiting", Gw.Aws.StateOf(token));
    }
}
