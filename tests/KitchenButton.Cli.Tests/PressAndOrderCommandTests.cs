using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Presses;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class PressAndOrderCommandTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public PressAndOrderCommandTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        _stack = await OperatorStack.StartAsync(_fixture.Dynalite);
        await _stack.Gateway.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private string FailuresQueue => new ResourceNames(_stack.Environment).PressFailuresQueue;

    [Fact]
    public async Task A_press_that_failed_while_Step_Functions_was_down_is_listed_and_replayed_once()
    {
        Execution order = await _stack.Workflow.StartParkedOrderAsync("ord-1", "pizza");
        Press press = PressEvents.Signed("pizza-oven-1", Secret, 7, 42, _stack.Gateway.Now.ToUnixTimeSeconds());
        byte[] pressEvent = _stack.EventOf(press);

        // A real failure: every answer to Step Functions is refused, the invocation throws (Lambda retries, then gives up).
        _stack.Aws.InjectFaults(Fault.Throttle, 3);
        Exception failure = await Assert.ThrowsAsync<KitchenButton.Gateway.Processing.RetryLaterException>(() => _stack.Gateway.Processor.ProcessAsync(pressEvent, default));
        _stack.SendFailedPress(pressEvent, failure);
        Assert.Equal(ExecutionStatus.RUNNING, order.Status);

        CliRun listed = await _stack.RunAsync("presses", "failed", "-o", "json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        JsonElement row = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
        Assert.Equal("pizza-oven-1", row.GetProperty("thing").GetString());
        Assert.Equal("pizza-oven-1#7#42", row.GetProperty("press").GetString());
        Assert.Equal("short", row.GetProperty("kind").GetString());
        Assert.Contains("RetriesExhausted after 3 attempts", row.GetProperty("why").GetString());
        Assert.True(row.GetProperty("replayable").GetBoolean());

        // Listing hides nothing from the next reader.
        Assert.Single(JsonDocument.Parse((await _stack.RunAsync("presses", "failed", "-o", "json")).Output).RootElement.EnumerateArray());

        CliRun replayed = await _stack.RunAsync("presses", "replay", row.GetProperty("message").GetString()!, "-o", "json");
        Assert.True(replayed.ExitCode == 0, replayed.Error + replayed.Output);
        Assert.Equal("resumed", Assert.Single(JsonDocument.Parse(replayed.Output).RootElement.EnumerateArray()).GetProperty("result").GetString());
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.SUCCEEDED, order.Status);
        Assert.Empty(_stack.Aws.Queues.Bodies(FailuresQueue));

        // A replay of chosen messages leaves the others visible to the next reader at once.
        _stack.Aws.Queues.Send(FailuresQueue, "not a press");
        _stack.SendFailedPress(pressEvent, failure);
        JsonElement[] both = JsonDocument.Parse((await _stack.RunAsync("presses", "failed", "-o", "json")).Output).RootElement.EnumerateArray().ToArray();
        string junkId = both.Single(r => !r.GetProperty("replayable").GetBoolean()).GetProperty("message").GetString()!;
        Assert.Equal(ExitCodes.Failed, (await _stack.RunAsync("presses", "replay", junkId)).ExitCode);
        Assert.Equal(2, JsonDocument.Parse((await _stack.RunAsync("presses", "failed", "-o", "json")).Output).RootElement.GetArrayLength());
        _stack.Aws.Queues.Clear(FailuresQueue);

        // The same press again (say it was also in the other queue): the ledger answers, nothing is applied twice.
        _stack.SendFailedPress(pressEvent, failure);
        Execution second = await _stack.Workflow.StartParkedOrderAsync("ord-2", "pizza");
        CliRun again = await _stack.RunAsync("presses", "replay", "--all");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(ExecutionStatus.RUNNING, second.Status);
        Assert.Single(_stack.Aws.Answers, c => c.Answer == "ok");
    }

    [Fact]
    public async Task A_rule_error_is_decoded_from_the_devices_own_payload_and_junk_is_listed_not_replayed()
    {
        // The order the press was for waits before the press fails (a replayed press answers only an order parked before it).
        Execution order = await _stack.Workflow.StartParkedOrderAsync("ord-9", "pizza");
        Press press = PressEvents.Signed("pizza-oven-1", Secret, 2, 5, _stack.Gateway.Now.ToUnixTimeSeconds(), PressKind.Long);
        _stack.SendRuleError(press, "Rate exceeded");
        _stack.Aws.Queues.Send(FailuresQueue, "not json at all");

        CliRun listed = await _stack.RunAsync("presses", "failed", "-o", "json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        JsonElement[] rows = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().ToArray();
        JsonElement rule = Assert.Single(rows, r => r.GetProperty("queue").GetString() == "rule-errors");
        Assert.Equal("pizza-oven-1#2#5", rule.GetProperty("press").GetString());
        Assert.Equal("long", rule.GetProperty("kind").GetString());
        Assert.Contains("Rate exceeded", rule.GetProperty("why").GetString());
        JsonElement junk = Assert.Single(rows, r => r.GetProperty("queue").GetString() == "press-failures");
        Assert.False(junk.GetProperty("replayable").GetBoolean());

        CliRun replayed = await _stack.RunAsync("presses", "replay", "--all", "-o", "json");

        // The junk message stays and makes the exit code 1; the long press reached its order.
        Assert.Equal(ExitCodes.Failed, replayed.ExitCode);
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Kitchen.PrepProblem", order.Error);
        Assert.Single(_stack.Aws.Queues.Bodies(FailuresQueue));
        Assert.Empty(_stack.Aws.Queues.Bodies(new ResourceNames(_stack.Environment).RuleErrorsQueue));
    }

    [Fact]
    public async Task Order_start_begins_an_execution_of_the_stacks_workflow_and_order_list_shows_it_waiting()
    {
        CliRun started = await _stack.RunAsync("order", "start", "--station", "pizza", "--items", "2x margherita", "lemonade", "--order-id", "ord-77", "-o", "json");
        Assert.True(started.ExitCode == 0, started.Error);
        string execution = JsonDocument.Parse(started.Output).RootElement.GetProperty("executionArn").GetString()!;
        Assert.EndsWith(":kitchenbutton-" + _stack.Environment + "-orders:ord-77", execution);
        KitchenButton.StepFunctions.Engine.Execution run = _stack.Workflow.Service.DescribeExecution(execution);
        using JsonDocument input = JsonDocument.Parse(run.Input);
        Assert.Equal("pizza", input.RootElement.GetProperty("station").GetString());
        Assert.Equal(2, input.RootElement.GetProperty("items")[0].GetProperty("qty").GetInt32());
        Assert.Equal("lemonade", input.RootElement.GetProperty("items")[1].GetProperty("name").GetString());

        // The workflow validates the order, looks up the station and parks it there.
        Assert.True(await LocalOrderWorkflow.WaitUntilParkedAsync(run, 1, TimeSpan.FromSeconds(15)), run.Status + " " + run.Cause);
        CliRun listed = await _stack.RunAsync("order", "list", "--station", "pizza", "-o", "json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        JsonElement order = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
        Assert.Equal("ord-77", order.GetProperty("orderId").GetString());
        Assert.False(order.GetProperty("claimed").GetBoolean());

        CliRun twice = await _stack.RunAsync("order", "start", "--station", "pizza", "--order-id", "ord-77");
        Assert.Equal(ExitCodes.Conflict, twice.ExitCode);
    }
}
