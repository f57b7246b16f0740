using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.StepFunctions.Tests.OrderWorkflow;

/// <summary>
/// The order workflow's paths on the local engine, with the gateway's real answers
/// (tests/vectors/callback-v1.json): success, problem, timeout and requeue, several stations, the
/// orders it refuses, and the state transitions docs/cost.md prices.
/// </summary>
public sealed class OrderWorkflowTests : IDisposable
{
    private static readonly JsonElement Answers = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "vectors", "callback-v1.json"))).RootElement;
    private static readonly string FailureError = Answers.GetProperty("failure").GetProperty("error").GetString()!;
    private static readonly string FailureCause = Answers.GetProperty("failure").GetProperty("cause").GetString()!;

    private readonly List<OrderWorkflowHarness> _harnesses = new();

    private static JsonObject Order() => JsonNode.Parse("""
        {"orderId":"ord-1001","station":"pizza","items":[{"name":"margherita","qty":2},{"name":"tiramisu","qty":1}],"customer":{"name":"Ada","table":12}}
        """)!.AsObject();

    /// <summary>Tony's Pizza: one order, three stations.</summary>
    private static JsonObject BigOrder() => JsonNode.Parse("""
        {"orderId":"ord-2002","items":[{"name":"margherita","qty":1,"station":"pizza"},{"name":"caesar salad","qty":2,"station":"salad"},{"name":"lemonade","qty":3,"station":"drinks"},{"name":"diavola","qty":1,"station":"pizza"}]}
        """)!.AsObject();

    private static KitchenAnswer Pressed(int attempt, KitchenCall wait) =>
        KitchenAnswer.Pressed(JsonNode.Parse(Answers.GetProperty("success").GetProperty("output").GetString()!)!.AsObject());

    private static KitchenAnswer Problem(int attempt, KitchenCall wait) => KitchenAnswer.Problem(FailureError, FailureCause);

    private static KitchenAnswer TimedOut(int attempt, KitchenCall wait) => KitchenAnswer.TimedOut;

    private OrderWorkflowHarness Kitchen(Dictionary<string, JsonObject>? stations = null)
    {
        var harness = new OrderWorkflowHarness(stations);
        _harnesses.Add(harness);
        return harness;
    }

    public void Dispose()
    {
        foreach (OrderWorkflowHarness harness in _harnesses)
        {
            harness.Dispose();
        }
    }

    [Fact]
    public async Task Success_path_the_ticket_the_kitchen_step_writes_and_the_ready_order()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(Order(), Pressed);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal(
            new[] { "ValidateOrder", "LookUpStations", "LookUpStation", "CheckStations", "TakePaymentPlaceholder", "PrepareAtStations", "WaitForKitchenPrep", "MarkReady", "HandOverPlaceholder", "OrderReady" },
            run.History.StatesEntered());

        KitchenCall lookup = kitchen.Script.Calls.Single(c => c.Action == "getItem");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"TableName":"kb-test-stations","Key":{"stationId":{"S":"pizza"}},"ConsistentRead":true}"""), lookup.Arguments));

        KitchenCall wait = Assert.Single(kitchen.Script.Waits);
        Assert.Equal(900, OrderWorkflowHarness.TimeoutOf(wait));
        JsonObject item = wait.Arguments["Item"]!.AsObject();
        string enqueuedAt = item["enqueuedAt"]!["S"]!.GetValue<string>();
        string parkedAt = item["parkedAt"]!["S"]!.GetValue<string>();
        string token = item["taskToken"]!["S"]!.GetValue<string>();
        Assert.Equal(OrderWorkflowHarness.TicketsTable, wait.Arguments["TableName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"stationId":{"S":"pizza"},"queueKey":{"S":"{{enqueuedAt}}#ord-1001"},"orderId":{"S":"ord-1001"},"summary":{"S":"2x margherita, 1x tiramisu"},
             "taskToken":{"S":"{{token}}"},"enqueuedAt":{"S":"{{enqueuedAt}}"},"parkedAt":{"S":"{{parkedAt}}"},"executionArn":{"S":"{{run.Arn}}"},
             "expiresAt":{"N":"{{DateTimeOffset.Parse(parkedAt, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds() + 900}}"} }
            """), item), item.ToJsonString());

        JsonObject output = JsonNode.Parse(run.Output!)!.AsObject();
        long waited = (long)(DateTimeOffset.Parse("2026-11-25T12:02:03Z", System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(enqueuedAt, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"orderId":"ord-1001","station":"pizza","stations":["pizza"],"status":"ready","readyAt":"2026-11-25T12:02:03Z","confirmedBy":"pizza-oven-1","waitedSeconds":{{waited}}}
            """), output), output.ToJsonString());
    }

    [Fact]
    public async Task The_wait_takes_the_stacks_timeout_when_the_station_sets_none_and_an_order_may_override_it()
    {
        OrderWorkflowHarness bare = Kitchen(new Dictionary<string, JsonObject> { ["pizza"] = OrderWorkflowHarness.Station("pizza", null, null) });
        await bare.RunAsync(Order(), Pressed);
        Assert.Equal(1800, OrderWorkflowHarness.TimeoutOf(Assert.Single(bare.Script.Waits)));

        OrderWorkflowHarness rushed = Kitchen();
        JsonObject order = Order();
        order["prepTimeoutSeconds"] = 600;
        await rushed.RunAsync(order, Pressed);
        Assert.Equal(600, OrderWorkflowHarness.TimeoutOf(Assert.Single(rushed.Script.Waits)));
    }

    [Fact]
    public async Task Problem_path_a_long_press_withdraws_the_ticket_alerts_the_kitchen_and_fails_the_order_with_the_gateways_cause()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(Order(), Problem);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("Kitchen.PrepProblem", run.Error);
        Assert.Equal(FailureCause, run.Cause);
        Assert.Equal(new[] { "WaitForKitchenPrep", "WithdrawTickets", "WithdrawTicket", "RouteFailure", "AlertPrepProblem", "OrderNeedsAttention" }, run.History.StatesEntered().TakeLast(6));
        KitchenCall alert = Assert.Single(kitchen.Script.Calls, c => c.Service == "sns");
        Assert.Equal(OrderWorkflowHarness.AlertTopic, alert.Arguments["TopicArn"]!.GetValue<string>());
        Assert.Equal("KitchenButton: problem with order ord-1001", alert.Arguments["Subject"]!.GetValue<string>());
        Assert.Equal("Order ord-1001 (2x margherita, 1x tiramisu) at station pizza: " + FailureCause, alert.Arguments["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Timeout_path_the_ticket_is_removed_counted_alerted_and_the_order_reparked_in_its_place_once()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(Order(), TimedOut);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("Kitchen.Timeout", run.Error);
        Assert.Equal("Order ord-1001 was not prepared at station pizza in time", run.Cause);
        Assert.Equal(
            new[]
            {
                "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "RequeueOrder",
                "WaitForKitchenPrep", "RemoveTimedOutTicket", "CountKitchenTimeout", "AlertKitchenTimeout", "RetryOrGiveUp", "StationTimedOut",
                "WithdrawTickets", "WithdrawTicket", "RouteFailure", "KitchenTimedOut",
            },
            run.History.StatesEntered().Skip(6));

        KitchenCall[] waits = kitchen.Script.Waits.ToArray();
        Assert.Equal(2, waits.Length);

        // The same queue key both times: the re-parked order keeps its place; each removal targets that ticket ...
        JsonNode queueKey = waits[0].Arguments["Item"]!["queueKey"]!;
        Assert.True(JsonNode.DeepEquals(queueKey, waits[1].Arguments["Item"]!["queueKey"]));
        Assert.NotEqual(waits[0].Arguments["Item"]!["taskToken"]!.ToJsonString(), waits[1].Arguments["Item"]!["taskToken"]!.ToJsonString());

        // ... but it is dated anew: a press made before it was re-parked is not for it.
        Assert.True(string.CompareOrdinal(waits[1].Arguments["Item"]!["parkedAt"]!["S"]!.GetValue<string>(), waits[0].Arguments["Item"]!["parkedAt"]!["S"]!.GetValue<string>()) > 0);
        KitchenCall[] removals = kitchen.Script.Calls.Where(c => c.Action == "deleteItem").ToArray();
        Assert.Equal(3, removals.Length);
        Assert.All(removals, r => Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["TableName"] = OrderWorkflowHarness.TicketsTable, ["Key"] = new JsonObject { ["stationId"] = new JsonObject { ["S"] = "pizza" }, ["queueKey"] = queueKey.DeepClone() } }, r.Arguments), r.Arguments.ToJsonString()));

        KitchenCall metric = kitchen.Script.Calls.First(c => c.Action == "putMetricData");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"Namespace":"KitchenButton/test","MetricData":[{"MetricName":"KitchenTimeouts","Unit":"Count","Value":1},{"MetricName":"KitchenTimeouts","Unit":"Count","Value":1,"Dimensions":[{"Name":"Station","Value":"pizza"}]}]}
            """), metric.Arguments), metric.Arguments.ToJsonString());
        Assert.Equal(
            new[]
            {
                "Order ord-1001 (2x margherita, 1x tiramisu) waited 900 s at station pizza without a button press (attempt 1 of 2).",
                "Order ord-1001 (2x margherita, 1x tiramisu) waited 900 s at station pizza without a button press (attempt 2 of 2).",
            },
            kitchen.Script.Calls.Where(c => c.Service == "sns").Select(c => c.Arguments["Message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_press_after_one_timeout_still_completes_the_order()
    {
        Execution run = await Kitchen().RunAsync(Order(), (attempt, wait) => attempt == 1 ? TimedOut(attempt, wait) : Pressed(attempt, wait));
        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal("pizza-oven-1", JsonNode.Parse(run.Output!)!["confirmedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_metrics_outage_does_not_stop_the_timeout_path()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        kitchen.Script.MetricsError = "CloudWatch.InternalServiceException";
        Execution run = await kitchen.RunAsync(Order(), TimedOut);
        Assert.Equal("Kitchen.Timeout", run.Error);
        Assert.Equal(2, kitchen.Script.Calls.Count(c => c.Service == "sns"));
    }

    [Fact]
    public async Task An_unknown_station_is_refused_before_anything_is_parked()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        JsonObject order = Order();
        order["station"] = "sushi";
        Execution run = await kitchen.RunAsync(order, Pressed);
        Assert.Equal("Order.UnknownStation", run.Error);
        Assert.Equal("There is no kitchen station sushi", run.Cause);
        Assert.Empty(kitchen.Script.Waits);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("30")]
    [InlineData("90000")]
    [InlineData("90.5")]
    public async Task A_station_whose_timeout_is_not_a_whole_number_of_seconds_from_60_to_86400_fails_the_order_before_anything_is_parked(string timeout)
    {
        Dictionary<string, JsonObject> stations = OrderWorkflowHarness.DefaultStations();
        stations["pizza"] = OrderWorkflowHarness.Station("pizza", null, timeout);
        OrderWorkflowHarness kitchen = Kitchen(stations);
        Execution run = await kitchen.RunAsync(Order(), Pressed);
        Assert.Equal("Order.InvalidStationTimeout", run.Error);
        Assert.Equal("The timeoutSeconds of station pizza must be a whole number from 60 to 86400", run.Cause);
        Assert.Empty(kitchen.Script.Waits);
    }

    [Fact]
    public async Task Several_stations_one_wait_each_with_one_queue_key_their_own_items_and_timeouts_ready_when_all_have_pressed()
    {
        var pressedAt = new Dictionary<string, string> { ["pizza"] = "2026-11-25T12:09:00Z", ["salad"] = "2026-11-25T12:04:00Z", ["drinks"] = "2026-11-25T12:01:00Z" };
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(BigOrder(), (attempt, wait) =>
        {
            JsonObject output = Pressed(attempt, wait).Output!;
            output["pressedAt"] = pressedAt[wait.Station];
            output["thing"] = wait.Station + "-1";
            return KitchenAnswer.Pressed(output);
        });

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        KitchenCall[] waits = kitchen.Script.Waits.OrderBy(w => Array.IndexOf(new[] { "pizza", "salad", "drinks" }, w.Station)).ToArray();
        Assert.Equal(new[] { "pizza", "salad", "drinks" }, waits.Select(w => w.Station));
        Assert.Single(waits.Select(w => w.Arguments["Item"]!["queueKey"]!["S"]!.GetValue<string>()).Distinct());
        Assert.Equal(new[] { "1x margherita, 1x diavola", "2x caesar salad", "3x lemonade" }, waits.Select(w => w.Arguments["Item"]!["summary"]!["S"]!.GetValue<string>()));
        Assert.Equal(new long[] { 900, 600, 1800 }, waits.Select(OrderWorkflowHarness.TimeoutOf));
        JsonNode output = JsonNode.Parse(run.Output!)!;
        Assert.Equal("ready", output["status"]!.GetValue<string>());
        Assert.Equal(new[] { "pizza", "salad", "drinks" }, output["stations"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("pizza", output["station"]!.GetValue<string>());
        Assert.Equal("2026-11-25T12:09:00Z", output["readyAt"]!.GetValue<string>());
        Assert.Equal("pizza-1", output["confirmedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Several_stations_a_long_press_at_one_withdraws_the_order_from_every_station_and_fails_it()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(BigOrder(), (attempt, wait) => wait.Station == "salad" ? Problem(attempt, wait) : Pressed(attempt, wait));

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("Kitchen.PrepProblem", run.Error);
        JsonNode queueKey = kitchen.Script.Waits[0].Arguments["Item"]!["queueKey"]!;
        KitchenCall[] withdrawn = kitchen.Script.Calls.Where(c => c.Action == "deleteItem").ToArray();
        Assert.Equal(new[] { "drinks", "pizza", "salad" }, withdrawn.Select(c => c.Station).OrderBy(s => s, StringComparer.Ordinal));
        Assert.All(withdrawn, c => Assert.True(JsonNode.DeepEquals(queueKey, c.Arguments["Key"]!["queueKey"])));
        Assert.Single(kitchen.Script.Calls, c => c.Service == "sns");
    }

    [Fact]
    public async Task Several_stations_one_station_out_of_attempts_withdraws_the_order_everywhere()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(BigOrder(), (attempt, wait) => wait.Station == "drinks" ? TimedOut(attempt, wait) : Pressed(attempt, wait));

        Assert.Equal("Kitchen.Timeout", run.Error);
        Assert.Equal("Order ord-2002 was not prepared at station drinks in time", run.Cause);
        Assert.Equal(new[] { "drinks", "pizza", "salad" }, kitchen.Script.Calls.Where(c => c.Action == "deleteItem").TakeLast(3).Select(c => c.Station).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(2, kitchen.Script.Calls.Count(c => c.Service == "sns"));
    }

    [Fact]
    public async Task Several_stations_an_unknown_one_among_them_refuses_the_order_before_anything_is_parked()
    {
        OrderWorkflowHarness kitchen = Kitchen();
        JsonObject order = BigOrder();
        order["items"]!.AsArray().Add(JsonNode.Parse("""{"name":"maki","qty":1,"station":"sushi"}"""));
        Execution run = await kitchen.RunAsync(order, Pressed);
        Assert.Equal("Order.UnknownStation", run.Error);
        Assert.Equal("There is no kitchen station sushi", run.Cause);
        Assert.Empty(kitchen.Script.Waits);
    }

    [Fact]
    public async Task Every_ticket_carries_its_execution_and_the_order_names_its_stations_for_the_clean_up_of_a_stopped_order()
    {
        // An aborted execution runs none of its own states again: the order clean-up function reads the
        // stations from the execution input and deletes the tickets whose executionArn is the ended one.
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(BigOrder(), Pressed);
        Assert.All(kitchen.Script.Waits, w => Assert.Equal(run.Arn, w.Arguments["Item"]!["executionArn"]!["S"]!.GetValue<string>()));
        Assert.Equal(new[] { "drinks", "pizza", "salad" }, kitchen.Script.Waits.Select(w => w.Station).OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Docs_cost_md_prices_the_transitions_the_definition_really_takes()
    {
        // Standard workflows bill every state entered, Map and inner states included.
        int oneStation = (await Kitchen().RunAsync(Order(), Pressed)).History.StatesEntered().Count;
        int threeStations = (await Kitchen().RunAsync(BigOrder(), Pressed)).History.StatesEntered().Count;
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "cost.md"));
        Assert.Equal(oneStation, Figure(doc, "transitions per order, one station"));
        Assert.Equal(threeStations, Figure(doc, "transitions per order, three stations"));
    }

    public static TheoryData<string, string> InvalidOrders() => new()
    {
        { "no order id", """{"station":"pizza","items":[{"name":"margherita","qty":2}]}""" },
        { "empty order id", """{"orderId":"","station":"pizza","items":[{"name":"margherita","qty":2}]}""" },
        { "order id with spaces", """{"orderId":"ord 1","station":"pizza","items":[{"name":"margherita","qty":2}]}""" },
        { "numeric station", """{"orderId":"ord-1","station":7,"items":[{"name":"margherita","qty":2}]}""" },
        { "station with a slash", """{"orderId":"ord-1","station":"pizza/oven","items":[{"name":"margherita","qty":2}]}""" },
        { "no items", """{"orderId":"ord-1","station":"pizza","items":[]}""" },
        { "items not an array", """{"orderId":"ord-1","station":"pizza","items":{"name":"x","qty":1}}""" },
        { "item without a name", """{"orderId":"ord-1","station":"pizza","items":[{"qty":1}]}""" },
        { "zero quantity", """{"orderId":"ord-1","station":"pizza","items":[{"name":"margherita","qty":0}]}""" },
        { "quantity as text", """{"orderId":"ord-1","station":"pizza","items":[{"name":"margherita","qty":"2"}]}""" },
        { "prep timeout too short", """{"orderId":"ord-1","station":"pizza","items":[{"name":"margherita","qty":2}],"prepTimeoutSeconds":5}""" },
        { "prep timeout as text", """{"orderId":"ord-1","station":"pizza","items":[{"name":"margherita","qty":2}],"prepTimeoutSeconds":"600"}""" },
        { "prep timeout not whole", """{"orderId":"ord-1","station":"pizza","items":[{"name":"margherita","qty":2}],"prepTimeoutSeconds":90.5}""" },
        { "an item with no station and no order station", """{"orderId":"ord-3","items":[{"name":"margherita","qty":1}]}""" },
        { "an item station with a space", """{"orderId":"ord-3","items":[{"name":"margherita","qty":1,"station":"pizza oven"}]}""" },
        { "more stations than one order may use", "{\"orderId\":\"ord-3\",\"items\":[" + string.Join(',', Enumerable.Range(0, 11).Select(i => "{\"name\":\"x\",\"qty\":1,\"station\":\"s" + i + "\"}")) + "]}" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task An_invalid_order_is_rejected_before_any_call(string why, string order)
    {
        OrderWorkflowHarness kitchen = Kitchen();
        Execution run = await kitchen.RunAsync(JsonNode.Parse(order)!, Pressed);
        Assert.True(run.Status == ExecutionStatus.FAILED, why);
        Assert.Equal("Order.Invalid", run.Error);
        Assert.Empty(kitchen.Script.Calls);
    }

    private static int Figure(string doc, string label)
    {
        Match row = Regex.Match(doc, @"\| " + Regex.Escape(label) + @" \| (\d+) \|");
        Assert.True(row.Success, "docs/cost.md has no row \"| " + label + " | N |\"");
        return int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
