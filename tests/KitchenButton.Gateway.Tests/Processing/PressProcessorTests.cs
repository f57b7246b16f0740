using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>The whole press path against dynalite and the local Step Functions / IoT endpoint.</summary>
public sealed class PressProcessorTests : GatewayTestBase
{
    private static readonly byte[] Secret = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    public PressProcessorTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    private Press Press(uint seq, PressKind kind = PressKind.Short, string thing = "pizza-oven-1", uint boot = 1, long? ts = null)
    {
        return PressEvents.Signed(thing, Secret, boot, seq, ts ?? Now, kind);
    }

    [Fact]
    public async Task A_short_press_resumes_the_oldest_order_with_the_contract_output()
    {
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");

        PressOutcome outcome = await Gw.PressAsync(Press(1));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal("ord-1", outcome.OrderId);
        AnswerCall call = Assert.Single(Gw.Aws.Answers);
        Assert.Equal("SendTaskSuccess", call.Operation);
        Assert.Equal(first, call.TaskToken);
        using JsonDocument output = JsonDocument.Parse(call.Output!);
        Assert.Equal("ord-1", output.RootElement.GetProperty("orderId").GetString());
        Assert.Equal("pizza", output.RootElement.GetProperty("station").GetString());
        Assert.Equal("pizza-oven-1", output.RootElement.GetProperty("thing").GetString());
        Assert.Equal(Gw.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), output.RootElement.GetProperty("pressedAt").GetString());
        Assert.Equal("ready", output.RootElement.GetProperty("action").GetString());
        Assert.Equal("success", Gw.Aws.StateOf(first));
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
    }

    [Theory]
    [InlineData(PressKind.Short)]
    [InlineData(PressKind.Long)]
    public async Task The_answers_are_exactly_the_contract_the_workflow_is_tested_with(PressKind kind)
    {
        using JsonDocument contract = JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryPaths.Root, "tests", "vectors", "callback-v1.json")));
        JsonElement p = contract.RootElement.GetProperty("press");
        Gw.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(p.GetProperty("ts").GetInt64()).AddMilliseconds(200));
        await Gw.EnqueueOrderAsync(p.GetProperty("station").GetString()!, p.GetProperty("orderId").GetString()!);

        await Gw.PressAsync(PressEvents.Signed(p.GetProperty("thing").GetString()!, Secret, p.GetProperty("boot").GetUInt32(), p.GetProperty("seq").GetUInt32(), p.GetProperty("ts").GetInt64(), kind));

        AnswerCall call = Assert.Single(Gw.Aws.Answers);
        if (kind == PressKind.Short)
        {
            JsonElement success = contract.RootElement.GetProperty("success");
            Assert.Equal(success.GetProperty("operation").GetString(), call.Operation);
            Assert.Equal(success.GetProperty("output").GetString(), call.Output);
        }
        else
        {
            JsonElement failure = contract.RootElement.GetProperty("failure");
            Assert.Equal(failure.GetProperty("operation").GetString(), call.Operation);
            Assert.Equal(failure.GetProperty("error").GetString(), call.Error);
            Assert.Equal(failure.GetProperty("cause").GetString(), call.Cause);
        }
    }

    [Fact]
    public async Task The_button_is_told_the_result_and_the_new_count_retained_with_qos_1()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        await Gw.PressAsync(Press(7));

        PublishCall publish = Assert.Single(Gw.Aws.Publishes);
        Assert.Equal("cmd/kitchenbutton/pizza-oven-1/state", publish.Topic);
        Assert.Equal(1, publish.Qos);
        Assert.True(publish.Retain);
        Assert.Equal("{\"pending\":1,\"last\":{\"seq\":7,\"boot\":1,\"result\":\"resumed\",\"order\":\"ord-1\"}}", publish.Payload);
    }

    [Fact]
    public async Task A_long_press_fails_the_oldest_order_as_a_prep_problem()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        PressOutcome outcome = await Gw.PressAsync(Press(1, PressKind.Long));

        Assert.Equal(PressResult.ProblemReported, outcome.Result);
        AnswerCall call = Assert.Single(Gw.Aws.Answers);
        Assert.Equal("SendTaskFailure", call.Operation);
        Assert.Equal(token, call.TaskToken);
        Assert.Equal("Kitchen.PrepProblem", call.Error);
        Assert.Contains("'pizza'", call.Cause);
        Assert.Contains("'pizza-oven-1'", call.Cause);
        Assert.Equal("failure", Gw.Aws.StateOf(token));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.ProblemsReported));
    }

    [Fact]
    public async Task With_nothing_waiting_nothing_changes()
    {
        PressOutcome outcome = await Gw.PressAsync(Press(1));
        Assert.Equal(PressResult.NoPending, outcome.Result);
        Assert.Empty(Gw.Aws.Answers);
        Assert.Equal("{\"pending\":0,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"no-pending\"}}", Assert.Single(Gw.Aws.Publishes).Payload);
    }

    [Fact]
    public async Task A_second_delivery_returns_the_first_result_and_completes_nothing()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(3);
        PressOutcome first = await Gw.PressAsync(press);
        PressOutcome again = await Gw.PressAsync(press);

        Assert.Equal(PressResult.Resumed, again.Result);
        Assert.Equal(first.OrderId, again.OrderId);
        Assert.True(again.Duplicate);
        Assert.Single(Gw.Aws.Answers);
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
        Assert.Equal(2, Gw.Aws.Publishes.Count);
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.DuplicatePresses));
    }

    [Fact]
    public async Task Presses_arriving_out_of_order_are_all_accepted()
    {
        for (int i = 0; i < 3; i++)
        {
            await Gw.EnqueueOrderAsync("pizza", "ord-" + i);
        }

        Assert.Equal(PressResult.Resumed, (await Gw.PressAsync(Press(5))).Result);
        Assert.Equal(PressResult.Resumed, (await Gw.PressAsync(Press(3))).Result);
        Assert.Equal(PressResult.Resumed, (await Gw.PressAsync(Press(4))).Result);
        Assert.Equal(0, await Gw.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task A_device_only_ever_resumes_orders_of_its_own_station()
    {
        string grillToken = await Gw.EnqueueOrderAsync("grill", "grill-1");
        PressOutcome outcome = await Gw.PressAsync(Press(1));
        Assert.Equal(PressResult.NoPending, outcome.Result);
        Assert.Equal("waiting", Gw.Aws.StateOf(grillToken));
        Assert.Empty(Gw.Aws.Answers);
    }

    [Theory]
    [InlineData("TaskTimedOut")]
    [InlineData("TaskDoesNotExist")]
    [InlineData("InvalidToken")]
    public async Task A_dead_token_is_dropped_and_the_next_order_resumed(string death)
    {
        string dead = await Gw.EnqueueOrderAsync("pizza", "ord-dead", tokenAlive: death != "TaskDoesNotExist");
        string alive = await Gw.EnqueueOrderAsync("pizza", "ord-alive");
        if (death == "TaskTimedOut")
        {
            Gw.Aws.TimeOut(dead);
        }

        if (death == "InvalidToken")
        {
            await ReplaceTokenAsync("ord-dead", "not!a!token");
        }

        PressOutcome outcome = await Gw.PressAsync(Press(1));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal("ord-alive", outcome.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(alive));
        Assert.Equal(2, Gw.Aws.Answers.Count);
        Assert.Equal(death, Gw.Aws.Answers[0].Answer);
        Assert.Equal(0, await Gw.PendingAtAsync("pizza"));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.DeadTokens, death));
        Assert.Equal(death == "InvalidToken" ? 1 : 0, Gw.Telemetry.Total(MetricNames.InvalidTokens));
    }

    [Fact]
    public async Task No_number_of_dead_tokens_hides_a_live_order()
    {
        for (int i = 0; i < 7; i++)
        {
            string token = await Gw.EnqueueOrderAsync("pizza", "ord-" + i);
            Gw.Aws.TimeOut(token);
        }

        string live = await Gw.EnqueueOrderAsync("pizza", "ord-live");
        PressOutcome outcome = await Gw.PressAsync(Press(1));
        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal("ord-live", outcome.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(live));
        Assert.Equal(8, Gw.Aws.Answers.Count);
        Assert.Equal(0, await Gw.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task An_expired_item_is_not_answered_and_not_counted()
    {
        string expired = await Gw.EnqueueOrderAsync("pizza", "ord-old", timeout: TimeSpan.FromMinutes(30), enqueuedAt: Gw.Now.AddHours(-1));
        string fresh = await Gw.EnqueueOrderAsync("pizza", "ord-new");
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
        PressOutcome outcome = await Gw.PressAsync(Press(1));
        Assert.Equal("ord-new", outcome.OrderId);
        Assert.Equal("waiting", Gw.Aws.StateOf(expired));
        Assert.Equal("success", Gw.Aws.StateOf(fresh));
    }

    [Fact]
    public async Task Throttling_within_the_retry_budget_still_resumes_exactly_one_order()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Gw.Aws.InjectFaults(Fault.Throttle, 2);

        PressOutcome outcome = await Gw.PressAsync(Press(1));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal(3, Gw.Aws.Answers.Count);
        Assert.Equal("success", Gw.Aws.StateOf(token));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task A_5xx_after_the_answer_landed_is_not_taken_as_a_dead_token()
    {
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Gw.Aws.InjectFaults(Fault.ApplyThenServerError, 1);

        PressOutcome outcome = await Gw.PressAsync(Press(1));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal("ord-1", outcome.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(first));
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
    }

    [Fact]
    public async Task When_step_functions_keeps_failing_the_claim_is_kept_and_the_retry_resumes_the_same_order()
    {
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        Gw.Aws.InjectFaults(Fault.ServerError, 3);

        // 5xx throughout: the answer may have landed, so the claim on ord-1 stays with this press.
        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));
        Assert.Equal("waiting", Gw.Aws.StateOf(first));
        Assert.Equal(2, await Gw.PendingAtAsync("pizza"));

        // Meanwhile another press takes the next order, not the one our press may have answered.
        PressOutcome other = await Gw.PressAsync(Press(2));
        Assert.Equal("ord-2", other.OrderId);

        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal(PressResult.Resumed, retried.Result);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(first));
        Assert.Equal("success", Gw.Aws.StateOf(second));
        Assert.Equal(0, await Gw.PendingAtAsync("pizza"));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.AnswerFailures, "InternalFailure"));
    }

    [Fact]
    public async Task A_timed_out_answer_that_landed_is_never_applied_to_a_second_order()
    {
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);
        Gw.Aws.InjectFaults(Fault.Hang, 3);

        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));

        // The hung calls were not applied; the retry answers the same order.
        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("success", Gw.Aws.StateOf(first));
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
    }

    [Fact]
    public async Task A_retry_after_an_uncertain_answer_that_finds_the_token_closed_completes_nothing_more()
    {
        string first = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        string second = await Gw.EnqueueOrderAsync("pizza", "ord-2");
        Press press = Press(1);

        // First attempt lands but answers 503, the next two fail outright: the invocation fails.
        Gw.Aws.InjectFaults(Fault.ApplyThenServerError, 1);
        Gw.Aws.InjectFaults(Fault.ServerError, 2);
        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(press));
        Assert.Equal("success", Gw.Aws.StateOf(first));

        PressOutcome retried = await Gw.PressAsync(press);
        Assert.Equal(PressResult.Resumed, retried.Result);
        Assert.Equal("ord-1", retried.OrderId);
        Assert.Equal("waiting", Gw.Aws.StateOf(second));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task A_failed_state_publish_is_counted_and_does_not_fail_the_press()
    {
        string token = await Gw.EnqueueOrderAsync("pizza", "ord-1");
        Gw.Aws.InjectPublishFaults(3);

        PressOutcome outcome = await Gw.PressAsync(Press(1));

        Assert.Equal(PressResult.Resumed, outcome.Result);
        Assert.Equal("success", Gw.Aws.StateOf(token));
        Assert.Empty(Gw.Aws.Publishes);
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.StatePublishFailures));
    }

    [Fact]
    public async Task Without_step_functions_at_all_the_press_waits_for_a_retry()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        await Gw.Aws.DisposeAsync();

        await Assert.ThrowsAsync<RetryLaterException>(() => Gw.PressAsync(Press(1)));
        Assert.Equal(1, await Gw.PendingAtAsync("pizza"));
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.AnswerFailures, "NetworkError"));
    }

    private async Task ReplaceTokenAsync(string orderId, string token)
    {
        var scan = await Gw.Composition.Dynamo.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = Gw.Tables.Tickets });
        var item = scan.Items.Single(i => i["orderId"].S == orderId);
        item["taskToken"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = token };
        await Gw.Composition.Dynamo.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest { TableName = Gw.Tables.Tickets, Item = item });
    }
}
