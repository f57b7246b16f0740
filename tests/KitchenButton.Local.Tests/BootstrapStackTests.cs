using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Device.Light;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Naming;
using KitchenButton.LocalAws;
using KitchenButton.Simulator.Mqtt;
using KitchenButton.StepFunctions.Engine;
using Xunit;

namespace KitchenButton.Local.Tests;

/// <summary>
/// The local stack with the gateway run as Lambda runs it: the published Native AOT bootstrap, one
/// process per function against the stack's Runtime API, its state messages through the IoT data
/// plane endpoint to the broker.
/// </summary>
public sealed class BootstrapStackTests : IAsyncLifetime
{
    private readonly StringWriter _log = new();
    private LocalKitchen _kitchen = null!;

    public async Task InitializeAsync()
    {
        (string? binary, string publishLog) = await LocalBootstrap.PublishSharedAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(binary != null, publishLog);
        _kitchen = await LocalKitchen.StartAsync(TextWriter.Synchronized(_log), binary);
    }

    public async Task DisposeAsync() => await _kitchen.DisposeAsync();

    [Fact]
    public async Task A_press_through_the_deployed_binary_resumes_the_order_and_the_button_shows_it()
    {
        Assert.StartsWith("the published bootstrap", _kitchen.FunctionHost.Description);
        PairedButton paired = await _kitchen.PairAsync("pizza-oven-1", "pizza");
        KitchenButton.StepFunctions.Engine.Execution order = await _kitchen.StartParkedOrderAsync("ord-1", "pizza");
        await using MqttButton button = _kitchen.ButtonFor(paired, TextWriter.Synchronized(_log));
        button.Start();
        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting, TimeSpan.FromSeconds(20)), _log.ToString());

        await button.PressAsync(150);

        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.Resumed, TimeSpan.FromSeconds(15)), _log.ToString());
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KitchenButton.StepFunctions.Engine.ExecutionStatus.SUCCEEDED, order.Status);

        // The state message came from the bootstrap, over the IoT data plane's HTTP API.
        Assert.Contains(_kitchen.Gateway.Aws.Publishes, p => p.Topic == "cmd/kitchenbutton/pizza-oven-1/state" && p.Payload.Contains("resumed", StringComparison.Ordinal));
    }

    /// <summary>
    /// A press and a health report the bootstrap fails on every attempt (its ledger write and its
    /// device update refused): the rule bridge invokes as Lambda does asynchronously, so each is
    /// tried three times and then kept, as the function's on-failure record, in its own failure
    /// queue; the kept press, sent to the press handler once the grants are back, resumes the order.
    /// </summary>
    [Fact]
    public async Task A_press_and_a_health_report_that_fail_every_attempt_are_kept_in_their_functions_failure_queues()
    {
        PairedButton paired = await _kitchen.PairAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-1", "pizza");
        _kitchen.Calls.Deny("dynamodb:PutItem");
        _kitchen.Calls.Deny("dynamodb:UpdateItem");
        await using MqttButton button = _kitchen.ButtonFor(paired, TextWriter.Synchronized(_log));
        button.Start();
        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting, TimeSpan.FromSeconds(20)), _log.ToString());
        await button.PressAsync(150);

        using JsonDocument status = await KeptAsync(new ResourceNames(LocalKitchen.Environment).StatusFailuresQueue);
        Assert.Equal("pizza-oven-1", status.RootElement.GetProperty("requestPayload").GetProperty("topicThing").GetString());
        using JsonDocument press = await KeptAsync(new ResourceNames(LocalKitchen.Environment).PressFailuresQueue);
        JsonElement pressEvent = press.RootElement.GetProperty("requestPayload");
        Assert.Equal("pizza-oven-1", pressEvent.GetProperty("thing").GetString());
        Assert.Equal(ExecutionStatus.RUNNING, order.Status);

        _kitchen.Calls.Allow("dynamodb:PutItem");
        _kitchen.Calls.Allow("dynamodb:UpdateItem");
        byte[] answer = await _kitchen.FunctionHost.InvokeAsync(nameof(Functions.PressAsync), Encoding.UTF8.GetBytes(pressEvent.GetRawText()), CancellationToken.None);
        Assert.Contains("\"result\":\"resumed\"", Encoding.UTF8.GetString(answer), StringComparison.Ordinal);
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.SUCCEEDED, order.Status);
    }

    /// <summary>
    /// The clean-up the bootstrap fails on every attempt (its DeleteItem refused): the event is not
    /// dropped after Lambda's two retries but kept, as the function's on-failure record, in the
    /// cleanup-failures queue; sent to the function again once the grant is back, it withdraws the ticket.
    /// </summary>
    [Fact]
    public async Task A_clean_up_that_fails_every_attempt_is_kept_in_its_queue_and_its_event_withdraws_the_ticket_later()
    {
        await _kitchen.PairAsync("pizza-oven-1", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-9", "pizza");
        _kitchen.Calls.Deny("dynamodb:DeleteItem");

        _kitchen.Workflow.Service.StopExecution(order.Arn, "Order.Cancelled", "the guest left");
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        using JsonDocument record = await KeptAsync(new ResourceNames(LocalKitchen.Environment).CleanupFailuresQueue);
        JsonElement ended = record.RootElement.GetProperty("requestPayload");
        Assert.Equal(order.Arn, ended.GetProperty("detail").GetProperty("executionArn").GetString());
        Assert.Equal("ABORTED", ended.GetProperty("detail").GetProperty("status").GetString());
        Assert.Equal(1, await _kitchen.Gateway.PendingAtAsync("pizza"));

        _kitchen.Calls.Allow("dynamodb:DeleteItem");
        byte[] answer = await _kitchen.FunctionHost.InvokeAsync(nameof(Functions.OrderCleanupAsync), Encoding.UTF8.GetBytes(ended.GetRawText()), CancellationToken.None);
        Assert.Equal("{\"withdrawn\":1}", Encoding.UTF8.GetString(answer));
        Assert.Equal(0, await _kitchen.Gateway.PendingAtAsync("pizza"));
    }

    /// <summary>The one failure record that reaches <paramref name="queue"/> after the three attempts, as Lambda writes it.</summary>
    private async Task<JsonDocument> KeptAsync(string queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (_kitchen.Gateway.Aws.Queues.Bodies(queue).Count == 0)
        {
            await Task.Delay(100, timeout.Token);
        }

        JsonDocument record = JsonDocument.Parse(Assert.Single(_kitchen.Gateway.Aws.Queues.Bodies(queue)));
        Assert.Equal("RetriesExhausted", record.RootElement.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal(3, record.RootElement.GetProperty("requestContext").GetProperty("approximateInvokeCount").GetInt32());
        return record;
    }
}
