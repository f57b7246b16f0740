using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Orders;

/// <summary>
/// An execution stopped by an operator, timed out as a whole or failed by an uncaught error leaves
/// its tickets behind; EventBridge's status-change event (shape from
/// https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html) brings them to OrderCleanup.
/// </summary>
public sealed class EndedOrderCleanupTests : GatewayTestBase
{
    private const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-7";
    private const string OtherExecution = "arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-8";

    public EndedOrderCleanupTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    private static string Event(string status, string? input, string execution = Execution)
    {
        var detail = new Dictionary<string, object?>
        {
            ["executionArn"] = execution,
            ["stateMachineArn"] = "arn:aws:states:eu-west-1:123456789012:stateMachine:kitchenbutton-dev-orders",
            ["name"] = "ord-7",
            ["status"] = status,
            ["startDate"] = 1795608000000,
            ["stopDate"] = 1795608060000,
            ["input"] = input,
            ["inputDetails"] = new { included = input != null },
        };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = "0",
            ["id"] = "315c1398-40ff-a850-213b-158f73e60175",
            ["detail-type"] = "Step Functions Execution Status Change",
            ["source"] = "aws.states",
            ["account"] = "123456789012",
            ["region"] = "eu-west-1",
            ["detail"] = detail,
        });
    }

    private async Task ParkAsync(string station, string orderId, string execution)
    {
        string token = await Gw.EnqueueOrderAsync(station, orderId);
        QueryResponse items = await Gw.Composition.Dynamo.QueryAsync(new QueryRequest
        {
            TableName = Gw.Tables.Tickets,
            KeyConditionExpression = "stationId = :s",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = station } },
        });
        Dictionary<string, AttributeValue> item = items.Items.Single(i => i[Attributes.TaskToken].S == token);
        item[Attributes.ExecutionArn] = new() { S = execution };
        await Gw.Composition.Dynamo.PutItemAsync(Gw.Tables.Tickets, item);
    }

    private async Task<int> TicketsAsync(string station) => (await Gw.Composition.Dynamo.QueryAsync(new QueryRequest
    {
        TableName = Gw.Tables.Tickets,
        KeyConditionExpression = "stationId = :s",
        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":s"] = new() { S = station } },
    })).Count ?? 0;

    [Theory]
    [InlineData("ABORTED")]
    [InlineData("TIMED_OUT")]
    [InlineData("FAILED")]
    public async Task An_ended_execution_loses_its_tickets_at_every_station_and_others_keep_theirs(string status)
    {
        await ParkAsync("pizza", "ord-7", Execution);
        await ParkAsync("salad", "ord-7", Execution);
        await ParkAsync("pizza", "ord-8", OtherExecution);
        string input = "{\"orderId\":\"ord-7\",\"items\":[{\"name\":\"margherita\",\"qty\":1,\"station\":\"pizza\"},{\"name\":\"caesar\",\"qty\":1,\"station\":\"salad\"}]}";

        var function = new Functions(Gw.Composition);
        using Stream output = await function.OrderCleanupAsync(new MemoryStream(Encoding.UTF8.GetBytes(Event(status, input))));

        Assert.Equal("{\"withdrawn\":2}", await new StreamReader(output).ReadToEndAsync());
        Assert.Equal(1, await TicketsAsync("pizza"));
        Assert.Equal(0, await TicketsAsync("salad"));
        Assert.Equal(2, Gw.Telemetry.Total(MetricNames.TicketsWithdrawn));
    }

    [Fact]
    public async Task A_single_station_order_is_found_through_its_order_station_and_a_second_event_is_harmless()
    {
        await ParkAsync("pizza", "ord-7", Execution);
        string input = "{\"orderId\":\"ord-7\",\"station\":\"pizza\",\"items\":[{\"name\":\"margherita\",\"qty\":1}]}";
        Assert.Equal(1, await Gw.Composition.Cleanup.HandleAsync(Encoding.UTF8.GetBytes(Event("ABORTED", input)), CancellationToken.None));
        Assert.Equal(0, await Gw.Composition.Cleanup.HandleAsync(Encoding.UTF8.GetBytes(Event("ABORTED", input)), CancellationToken.None));
        Assert.Equal(0, await TicketsAsync("pizza"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"detail\":\"x\"}")]
    [InlineData("{\"detail\":{\"status\":\"ABORTED\"}}")]
    [InlineData("{\"detail\":{\"executionArn\":\"arn:x\",\"status\":\"ABORTED\",\"input\":\"{not json\"}}")]
    [InlineData("{\"detail\":{\"executionArn\":\"arn:x\",\"status\":\"ABORTED\",\"input\":\"\\ud800\"}}")]
    public async Task An_event_it_cannot_read_is_logged_counted_and_dropped_never_thrown(string json)
    {
        int withdrawn = await Gw.Composition.Cleanup.HandleAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
        Assert.Equal(0, withdrawn);
        Assert.Equal(1, Gw.Telemetry.Total(MetricNames.CleanupEventsUnreadable));
        Assert.Contains("ended execution not cleaned up", Gw.Log);
    }

    [Fact]
    public async Task An_event_without_its_input_says_so()
    {
        Assert.Null(EndedExecution.Parse(Encoding.UTF8.GetBytes(Event("ABORTED", null)), out string? problem));
        Assert.Contains("no execution input", problem);
        await Task.CompletedTask;
    }

    [Fact]
    public void Stations_are_read_as_the_workflow_reads_them_and_odd_ones_are_skipped()
    {
        string input = "{\"station\":\"pizza\",\"items\":[{\"station\":\"salad\"},{\"station\":\"pizza\"},{\"station\":\"bad/one\"},{\"station\":7},{}]}";
        EndedExecution? ended = EndedExecution.Parse(Encoding.UTF8.GetBytes(Event("FAILED", input)), out _);
        Assert.NotNull(ended);
        Assert.Equal(new[] { "pizza", "salad" }, ended.Stations);
        Assert.Equal("FAILED", ended.Status);
        Assert.Equal(Execution, ended.ExecutionArn);
    }
}
