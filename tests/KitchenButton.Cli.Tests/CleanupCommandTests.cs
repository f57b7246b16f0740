using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Gateway.Naming;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// `cleanups failed|replay` on the cleanup-failures queue, which holds Lambda's failure records (the
/// clean-up failed every attempt) and EventBridge's dead letters (the event never reached it).
/// </summary>
[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class CleanupCommandTests : IAsyncLifetime
{
    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public CleanupCommandTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        _stack = await OperatorStack.StartAsync(_fixture.Dynalite);
        await _stack.Gateway.PairAsync("pizza-oven-1", "pizza", new byte[32]);
        await _stack.Gateway.PairAsync("grill-1", "grill", new byte[32]);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private string Queue => new ResourceNames(_stack.Environment).CleanupFailuresQueue;

    [Fact]
    public async Task Both_shapes_of_a_failed_clean_up_are_listed_and_replayed_and_junk_stays_for_someone_to_read()
    {
        Execution failedInLambda = await _stack.Workflow.StartParkedOrderAsync("ord-1", "pizza");
        Execution neverDelivered = await _stack.Workflow.StartParkedOrderAsync("ord-2", "grill");
        Execution stillWaiting = await _stack.Workflow.StartParkedOrderAsync("ord-3", "pizza");

        // EventBridge's dead letter instead of Lambda's record: the event as the rule matched it.
        byte[] dead = await _stack.StopWithFailedCleanupAsync(neverDelivered);
        _stack.Aws.Queues.Clear(Queue);
        _stack.Aws.Queues.Send(Queue, Encoding.UTF8.GetString(dead));
        await _stack.StopWithFailedCleanupAsync(failedInLambda);
        _stack.Aws.Queues.Send(Queue, "not a clean-up");
        Assert.Equal(2, await _stack.Gateway.PendingAtAsync("pizza"));
        Assert.Equal(1, await _stack.Gateway.PendingAtAsync("grill"));

        CliRun listed = await _stack.RunAsync("cleanups", "failed", "-o", "json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        JsonElement[] rows = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);
        JsonElement lambda = rows.Single(r => r.GetProperty("execution").GetString() == failedInLambda.Arn);
        Assert.Equal("ABORTED", lambda.GetProperty("status").GetString());
        Assert.Equal("pizza", lambda.GetProperty("stations").GetString());
        Assert.Contains("RetriesExhausted after 3 attempts - TimeoutException", lambda.GetProperty("why").GetString());
        Assert.True(lambda.GetProperty("replayable").GetBoolean());
        JsonElement dlq = rows.Single(r => r.GetProperty("execution").GetString() == neverDelivered.Arn);
        Assert.Equal("grill", dlq.GetProperty("stations").GetString());
        Assert.Contains("EventBridge could not hand", dlq.GetProperty("why").GetString());
        JsonElement junk = rows.Single(r => r.GetProperty("execution").ValueKind == JsonValueKind.Null);
        Assert.False(junk.GetProperty("replayable").GetBoolean());

        // Listing hides nothing from the next reader.
        Assert.Equal(3, JsonDocument.Parse((await _stack.RunAsync("cleanups", "failed", "-o", "json")).Output).RootElement.GetArrayLength());

        CliRun replayed = await _stack.RunAsync("cleanups", "replay", "--all", "-o", "json");
        Assert.Equal(ExitCodes.Failed, replayed.ExitCode);
        JsonElement[] results = JsonDocument.Parse(replayed.Output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(new[] { "not replayable", "withdrawn 1", "withdrawn 1" }, results.Select(r => r.GetProperty("result").GetString()).Order());
        Assert.Equal(1, await _stack.Gateway.PendingAtAsync("pizza"));
        Assert.Equal(0, await _stack.Gateway.PendingAtAsync("grill"));
        Assert.Equal(ExecutionStatus.RUNNING, stillWaiting.Status);

        // Only the junk is left, visible at once; a message id no longer there is said so.
        JsonElement left = Assert.Single(JsonDocument.Parse((await _stack.RunAsync("cleanups", "failed", "-o", "json")).Output).RootElement.EnumerateArray());
        Assert.Equal(junk.GetProperty("message").GetString(), left.GetProperty("message").GetString());
        CliRun gone = await _stack.RunAsync("cleanups", "replay", lambda.GetProperty("message").GetString()!);
        Assert.Equal(ExitCodes.Failed, gone.ExitCode);
        Assert.Contains("no failed clean-up with message id", gone.Output + gone.Error);
    }

    [Fact]
    public async Task A_replay_the_clean_up_fails_again_stays_in_the_queue()
    {
        Execution order = await _stack.Workflow.StartParkedOrderAsync("ord-1", "pizza");
        await _stack.StopWithFailedCleanupAsync(order);
        _stack.Aws.Functions.Register(new ResourceNames(_stack.Environment).CleanupFunction, _ => throw new TimeoutException("Task timed out after 30.00 seconds"));

        CliRun replayed = await _stack.RunAsync("cleanups", "replay", "--all", "-o", "json");

        Assert.Equal(ExitCodes.Failed, replayed.ExitCode);
        JsonElement row = Assert.Single(JsonDocument.Parse(replayed.Output).RootElement.EnumerateArray());
        Assert.Equal("TimeoutException", row.GetProperty("result").GetString());
        Assert.Equal(1, await _stack.Gateway.PendingAtAsync("pizza"));

        // Back in the queue at once, not hidden for the replay's two minutes.
        JsonElement left = Assert.Single(JsonDocument.Parse((await _stack.RunAsync("cleanups", "failed", "-o", "json")).Output).RootElement.EnumerateArray());
        Assert.Equal(order.Arn, left.GetProperty("execution").GetString());
    }
}
