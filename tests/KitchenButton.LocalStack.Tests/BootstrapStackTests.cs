using System;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.Device.Status;
using KitchenButton.LocalAws;
using KitchenButton.Simulator.Mqtt;
using Xunit;

namespace KitchenButton.LocalStack.Tests;

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
        Assert.True(await button.WaitUntilAsync(d => d.Status == DeviceStatus.OrdersPending, TimeSpan.FromSeconds(20)), _log.ToString());

        await button.PressAsync(150);

        Assert.True(await button.WaitUntilAsync(d => d.Status == DeviceStatus.Resumed, TimeSpan.FromSeconds(15)), _log.ToString());
        await order.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KitchenButton.StepFunctions.Engine.ExecutionStatus.SUCCEEDED, order.Status);

        // The state message came from the bootstrap, over the IoT data plane's HTTP API.
        Assert.Contains(_kitchen.Gateway.Aws.Publishes, p => p.Topic == "cmd/kitchenbutton/pizza-oven-1/state" && p.Payload.Contains("resumed", StringComparison.Ordinal));
    }
}
