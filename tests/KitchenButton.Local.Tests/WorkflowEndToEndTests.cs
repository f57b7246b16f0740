using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Device.Light;
using KitchenButton.Local;
using KitchenButton.Simulator.Mqtt;
using KitchenButton.StepFunctions.Engine;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KitchenButton.Local.Tests;

/// <summary>
/// The project's own order workflow, run by the local Step Functions over Mosquitto, the gateway and
/// dynalite: each way an order can end, from a cook's press (or none) to the execution's status, the
/// path it took, and the tickets left behind.
/// </summary>
public sealed class WorkflowEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private readonly StringWriter _log = new();
    private readonly FakeTimeProvider _workflowClock = new(DateTimeOffset.UtcNow);
    private LocalKitchen _kitchen = null!;

    public async Task InitializeAsync()
    {
        // The workflow runs on a clock the test moves, so a half-hour kitchen wait times out at once;
        // the gateway and the buttons stay on real time.
        _kitchen = await LocalKitchen.StartAsync(TextWriter.Synchronized(_log), workflowTime: _workflowClock);
    }

    public async Task DisposeAsync() => await _kitchen.DisposeAsync();

    private async Task<MqttButton> ButtonAsync(string thing, string station)
    {
        PairedButton paired = await _kitchen.PairAsync(thing, station);
        MqttButton button = _kitchen.ButtonFor(paired, TextWriter.Synchronized(_log));
        button.Start();
        Assert.True(await button.WaitUntilAsync(d => d.IsConnected, Soon), _log.ToString());
        return button;
    }

    private static string[] Path(Execution execution) => execution.History.StatesEntered().ToArray();

    private async Task EndedAsync(Execution execution) => await execution.Ended.WaitAsync(Soon);

    /// <summary>The tickets waiting at the station once the gateway has finished: it deletes a resumed order's ticket after its answer, so after the execution may have ended.</summary>
    private async Task<int> PendingSettledAsync(string station)
    {
        await _kitchen.SettleAsync(Soon);
        return await _kitchen.Gateway.PendingAtAsync(station);
    }

    [Fact]
    public async Task A_short_press_ends_the_execution_through_the_kitchen_steps_success_path()
    {
        await using MqttButton button = await ButtonAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-1", "pizza");
        Assert.True(await button.WaitUntilAsync(d => d.PendingOrders == 1, Soon), _log.ToString());

        await button.PressAsync(150);
        await EndedAsync(order);

        Assert.Equal(ExecutionStatus.SUCCEEDED, order.Status);
        Assert.Equal(new[] { "ValidateOrder", "LookUpStations", "LookUpStation", "CheckStations", "TakePaymentPlaceholder", "PrepareAtStations", "WaitForKitchenPrep", "MarkReady", "HandOverPlaceholder", "OrderReady" }, Path(order));
        ExecutionEvent answered = Assert.Single(order.History.Events, e => e.Type == "TaskSucceeded" && e.Detail("resource") == "putItem.waitForTaskToken");
        Assert.Equal("pizza-oven-1#1#1", JsonDocument.Parse(answered.Detail("output")!).RootElement.GetProperty("pressId").GetString());
        using JsonDocument output = JsonDocument.Parse(order.Output!);
        Assert.Equal("ready", output.RootElement.GetProperty("status").GetString());
        Assert.Equal("pizza-oven-1", output.RootElement.GetProperty("confirmedBy").GetString());
        Assert.Equal(0, await PendingSettledAsync("pizza"));
        Assert.True(await button.WaitUntilAsync(d => d.PendingOrders == 0, Soon), _log.ToString());
    }

    [Fact]
    public async Task A_long_press_fails_the_order_through_the_problem_path_and_alerts_the_kitchen()
    {
        await using MqttButton button = await ButtonAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-2", "pizza");

        await button.PressAsync(1800);
        await EndedAsync(order);

        Assert.Equal(ExecutionStatus.FAILED, order.Status);
        Assert.Equal("Kitchen.PrepProblem", order.Error);
        Assert.EndsWith("(press pizza-oven-1#1#1)", order.Cause);
        Assert.Equal(new[] { "WaitForKitchenPrep", "WithdrawTickets", "WithdrawTicket", "RouteFailure", "AlertPrepProblem", "OrderNeedsAttention" }, Path(order)[6..]);
        var alert = Assert.Single(_kitchen.Workflow.Recorded.Calls, c => c.Service == "sns");
        Assert.Contains("problem with order ord-2", alert.Arguments);
        Assert.Equal(0, await _kitchen.Gateway.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task With_no_press_the_wait_times_out_is_requeued_once_and_the_order_fails_as_Kitchen_Timeout()
    {
        await using MqttButton button = await ButtonAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-3", "pizza");

        // The station's timeout is 1800 s; MaxPrepAttempts is 2 (the CDK app's default).
        _workflowClock.Advance(TimeSpan.FromSeconds(1801));
        Assert.True(await KitchenButton.LocalAws.LocalOrderWorkflow.WaitUntilParkedAsync(order, 2, Soon), order.Status + " " + order.Cause);
        Assert.Equal(1, await _kitchen.Gateway.PendingAtAsync("pizza"));
        _workflowClock.Advance(TimeSpan.FromSeconds(1801));
        await EndedAsync(order);

        Assert.Equal(ExecutionStatus.FAILED, order.Status);
        Assert.Equal("Kitchen.Timeout", order.Error);
        Assert.Equal(2, order.History.Events.Count(e => e.Type == "TaskTimedOut" && e.Detail("error") == "States.Timeout"));
        string[] path = Path(order);
        Assert.Equal(new[] { "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "RequeueOrder", "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "StationTimedOut", "WithdrawTickets", "WithdrawTicket", "RouteFailure", "KitchenTimedOut" }, path[6..]);
        Assert.Equal(2, _kitchen.Workflow.Recorded.Calls.Count(c => c.Service == "sns" && c.Arguments.Contains("waited too long", StringComparison.Ordinal)));
        Assert.Equal(2, _kitchen.Workflow.Recorded.Calls.Count(c => c.Action == "putMetricData"));
        Assert.Equal(0, await _kitchen.Gateway.PendingAtAsync("pizza"));

        // A press after the order gave up finds nothing to resume.
        await button.PressAsync(150);
        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.NothingWaiting, Soon), _log.ToString());
    }

    [Fact]
    public async Task An_operators_StopExecution_aborts_the_order_and_the_clean_up_function_withdraws_its_ticket()
    {
        await using MqttButton button = await ButtonAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-4", "pizza");
        Assert.True(await button.WaitUntilAsync(d => d.PendingOrders == 1, Soon), _log.ToString());

        _kitchen.Workflow.Service.StopExecution(order.Arn, "Order.Cancelled", "the guest left");
        await EndedAsync(order);

        Assert.Equal(ExecutionStatus.ABORTED, order.Status);
        Assert.Equal("ExecutionAborted", order.History.Events[^1].Type);
        Assert.True(await button.WaitUntilAsync(d => d.PendingOrders == 0, Soon), _log.ToString());
        Assert.Equal(0, await _kitchen.Gateway.PendingAtAsync("pizza"));
    }

    [Fact]
    public async Task A_dead_token_at_the_front_of_the_queue_is_passed_over_and_the_press_resumes_the_live_order()
    {
        await using MqttButton button = await ButtonAsync("pizza-oven-1", "pizza");
        Execution stopped = await _kitchen.StartParkedOrderAsync("ord-5", "pizza");
        Execution live = await _kitchen.StartParkedOrderAsync("ord-6", "pizza");

        // The clean-up event is late: the stopped order's ticket still heads the queue with a dead token.
        _kitchen.Workflow.Service.ExecutionEnded = null;
        _kitchen.Workflow.Service.StopExecution(stopped.Arn, null, null);
        await EndedAsync(stopped);
        Assert.Equal(2, await _kitchen.Gateway.PendingAtAsync("pizza"));

        await button.PressAsync(150);
        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.Resumed, Soon), _log.ToString());
        await EndedAsync(live);

        Assert.Equal(ExecutionStatus.SUCCEEDED, live.Status);
        Assert.Contains(_kitchen.Gateway.Aws.Answers, c => c.Answer == "TaskTimedOut");
        Assert.Equal(0, await PendingSettledAsync("pizza"));
    }

    [Fact]
    public async Task A_multi_station_order_is_ready_only_when_every_stations_cook_has_pressed()
    {
        await using MqttButton pizza = await ButtonAsync("pizza-oven-1", "pizza");
        await using MqttButton salad = await ButtonAsync("salad-bar-1", "salad");
        Execution order = _kitchen.StartOrder("ord-7", """{"orderId":"ord-7","station":"pizza","items":[{"name":"diavola","qty":1},{"name":"caesar","qty":2,"station":"salad"}]}""");
        Assert.True(await KitchenButton.LocalAws.LocalOrderWorkflow.WaitUntilParkedAsync(order, 2, Soon), order.Status + " " + order.Cause);

        await pizza.PressAsync(150);
        Assert.True(await pizza.WaitUntilAsync(d => d.Light == LightState.Resumed, Soon), _log.ToString());
        await _kitchen.SettleAsync(Soon);
        Assert.Equal(ExecutionStatus.RUNNING, order.Status);

        // A press's time is the button's, in whole seconds: a second apart, the salad press is the last.
        await Task.Delay(1100);
        await salad.PressAsync(150);
        await EndedAsync(order);

        Assert.Equal(ExecutionStatus.SUCCEEDED, order.Status);
        using JsonDocument output = JsonDocument.Parse(order.Output!);
        Assert.Equal(new[] { "pizza", "salad" }, output.RootElement.GetProperty("stations").EnumerateArray().Select(s => s.GetString()).ToArray());
        Assert.Equal("salad-bar-1", output.RootElement.GetProperty("confirmedBy").GetString());
    }

    [Fact]
    public async Task The_gateway_tests_park_orders_with_the_same_item_shape_the_workflows_kitchen_step_writes()
    {
        // The gateway's own suite parks orders with LocalGateway.EnqueueOrderAsync; this holds it to the real thing.
        await _kitchen.PairAsync("pizza-oven-1", "pizza");
        await _kitchen.PairAsync("grill-1", "grill");
        await _kitchen.StartParkedOrderAsync("ord-8", "pizza");
        await _kitchen.Gateway.EnqueueOrderAsync("grill", "ord-9");

        Dictionary<string, AttributeValue> real = await TicketAsync("pizza");
        Dictionary<string, AttributeValue> harness = await TicketAsync("grill");
        Assert.Equal(Shape(real), Shape(harness));

        // The kitchen step parks the ticket after the order's place was fixed.
        Assert.True(string.CompareOrdinal(real["parkedAt"].S, real["enqueuedAt"].S) >= 0, real["parkedAt"].S + " < " + real["enqueuedAt"].S);
        foreach (var item in new[] { real, harness })
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["enqueuedAt"].S);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["parkedAt"].S);
            Assert.Equal(item["enqueuedAt"].S + "#" + item["orderId"].S, item["queueKey"].S);
            Assert.StartsWith("arn:aws:states:eu-west-1:123456789012:execution:", item["executionArn"].S);
            Assert.True(long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
    }

    private async Task<Dictionary<string, AttributeValue>> TicketAsync(string station)
    {
        QueryResponse found = await _kitchen.Gateway.Composition.Dynamo.QueryAsync(new QueryRequest
        {
            TableName = _kitchen.Gateway.Tables.Tickets,
            KeyConditionExpression = "stationId = :s",
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = station } },
        });
        return Assert.Single(found.Items);
    }

    private static string Shape(Dictionary<string, AttributeValue> item) =>
        string.Join(",", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + ":" + (a.Value.S != null ? "S" : a.Value.N != null ? "N" : "?")));
}
