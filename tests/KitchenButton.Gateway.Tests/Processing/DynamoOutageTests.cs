using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Answers;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// DynamoDB going away mid-press, for real: dynalite is killed and restarted on its LevelDB store.
/// The press's invocation fails (Lambda retries it), nothing is reported that did not happen, and
/// the retry settles the press once.
/// </summary>
public sealed class DynamoOutageTests : IAsyncLifetime
{
    private static readonly byte[] Secret = new byte[32];
    private readonly string _store = Path.Combine(Path.GetTempPath(), "kb-dynalite-" + Guid.NewGuid().ToString("N"));
    private DynaliteProcess _dynalite = null!;
    private LocalGateway _gw = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_store);
        _dynalite = await DynaliteProcess.StartAsync(_store);
        _gw = await LocalGateway.CreateAsync(_dynalite, time: TestClock.Start());
        await _gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        await _dynalite.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    private Press Press(uint seq) => PressEvents.Signed("pizza-oven-1", Secret, 1, seq, _gw.Now.ToUnixTimeSeconds());

    [Fact]
    public async Task An_outage_right_after_the_answer_landed_fails_the_invocation_and_the_retry_settles_the_press_once()
    {
        string first = await _gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await _gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        var dying = new PressProcessor(_gw.Directory, _gw.Pending, new DynamoPressLedger(_gw.Composition.DynamoJson, _gw.Tables.PressLedger),
            new OutageAfterAnswer(_gw.Composition.Answers, _dynalite), _gw.Composition.Publisher, _gw.Telemetry, _gw.Clock, new GatewayOptions());

        // Step Functions took the answer; the ticket delete and the ledger's completion cannot be written.
        await Assert.ThrowsAnyAsync<Exception>(() => dying.ProcessAsync(PressEvents.Event(press, receivedAtMs: _gw.Now.ToUnixTimeMilliseconds()), CancellationToken.None));
        Assert.Equal("success", _gw.Aws.StateOf(first));

        // While DynamoDB is down, a press fails its invocation rather than report anything.
        await Assert.ThrowsAnyAsync<Exception>(() => _gw.PressAsync(Press(2)));

        await _dynalite.RestartAsync();
        _gw.Clock.Advance(TimeSpan.FromSeconds(61));
        long now = _gw.Now.ToUnixTimeMilliseconds();

        PressOutcome retried = await _gw.PressAsync(press, receivedAtMs: now - 61_000);
        Assert.Equal(PressResult.Resumed, retried.Result);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("waiting", _gw.Aws.StateOf(second));

        PressOutcome next = await _gw.PressAsync(Press(2), receivedAtMs: now - 61_000);
        Assert.Equal("ord-2", next.OrderId);
        Assert.Equal("success", _gw.Aws.StateOf(second));
        Assert.Equal(0, await _gw.PendingAtAsync("pizza"));
    }

    private sealed class OutageAfterAnswer : ITaskAnswers
    {
        private readonly ITaskAnswers _inner;
        private readonly DynaliteProcess _dynalite;

        public OutageAfterAnswer(ITaskAnswers inner, DynaliteProcess dynalite)
        {
            _inner = inner;
            _dynalite = dynalite;
        }

        public async Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken)
        {
            await _inner.SendTaskSuccessAsync(taskToken, outputJson, cancellationToken);
            await _dynalite.KillAsync();
        }

        public async Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken)
        {
            await _inner.SendTaskFailureAsync(taskToken, error, cause, cancellationToken);
            await _dynalite.KillAsync();
        }

        public Task<bool> WasAnsweredByAsync(string executionArn, string pressId, CancellationToken cancellationToken) =>
            _inner.WasAnsweredByAsync(executionArn, pressId, cancellationToken);
    }
}
