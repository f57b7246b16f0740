using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Device.Light;
using KitchenButton.Local;
using KitchenButton.Simulator.Mqtt;
using KitchenButton.StepFunctions.Engine;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace KitchenButton.Local.Tests;

/// <summary>
/// The button's core, over a real broker with TLS client certificates (Mosquitto), through the rule
/// bridge into the real gateway, on dynalite and the order workflow on the local Step Functions.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly StringWriter _log = new();
    private LocalKitchen _kitchen = null!;

    public async Task InitializeAsync()
    {
        _kitchen = await LocalKitchen.StartAsync(TextWriter.Synchronized(_log));
    }

    public async Task DisposeAsync() => await _kitchen.DisposeAsync();

    [Fact]
    public async Task A_press_over_mqtt_tls_resumes_the_oldest_order_and_the_button_shows_it()
    {
        PairedButton paired = await _kitchen.PairAsync("pizza-oven-1", "pizza");
        Execution first = await _kitchen.StartParkedOrderAsync("ord-1", "pizza");
        Execution second = await _kitchen.StartParkedOrderAsync("ord-2", "pizza");
        await using MqttButton button = _kitchen.ButtonFor(paired, TextWriter.Synchronized(_log));
        button.Start();

        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting && d.PendingOrders == 2, TimeSpan.FromSeconds(20)), _log.ToString());
        await button.PressAsync(150);
        Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.Resumed, TimeSpan.FromSeconds(10)), _log.ToString());
        Assert.True(await button.WaitUntilAsync(d => d.PendingOrders == 1 && d.QueuedPresses == 0, TimeSpan.FromSeconds(5)));

        await first.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.SUCCEEDED, first.Status);
        Assert.Equal(ExecutionStatus.RUNNING, second.Status);
        Assert.Contains(LightState.Sending, button.Statuses);
    }

    [Fact]
    public async Task The_health_report_sent_on_connect_lands_on_the_device_record()
    {
        PairedButton paired = await _kitchen.PairAsync("grill-1", "grill");
        await using MqttButton button = _kitchen.ButtonFor(paired, TextWriter.Synchronized(_log));
        button.Start();
        Assert.True(await button.WaitUntilAsync(d => d.IsConnected, TimeSpan.FromSeconds(20)));

        GetItemResponse item = null!;
        for (int i = 0; i < 50; i++)
        {
            item = await _kitchen.Gateway.Composition.Dynamo.GetItemAsync(_kitchen.Gateway.Tables.Devices,
                new() { ["thing"] = new AttributeValue { S = "grill-1" } });
            if (item.Item.ContainsKey("lastStatusAt"))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("virtual-1.0", item.Item["firmware"].S);
        Assert.Equal("-55", item.Item["wifiRssi"].N);
    }

    [Fact]
    public async Task A_button_cannot_press_for_another_station_through_its_topic()
    {
        PairedButton intruder = await _kitchen.PairAsync("bar-1", "bar");
        PairedButton victim = await _kitchen.PairAsync("pizza-oven-2", "pizza");
        Execution order = await _kitchen.StartParkedOrderAsync("ord-9", "pizza");

        // The intruder signs a well-formed press with the victim's secret even: the broker's ACL
        // (the IoT policy) must keep it off the victim's topic.
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(MqttTls.Options("127.0.0.1", _kitchen.BrokerPort, intruder.Thing, intruder.Identity, cleanSession: true));
        long ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string canonical = "kb1\npizza-oven-2\n1\n1\n" + ts + "\nshort\n100\n0";
        string sig = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(victim.Secret, Encoding.ASCII.GetBytes(canonical)));
        string press = "{\"v\":1,\"thing\":\"pizza-oven-2\",\"boot\":1,\"seq\":1,\"ts\":" + ts + ",\"kind\":\"short\",\"held\":100,\"queued\":0,\"sig\":\"" + sig + "\"}";
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("dt/kitchenbutton/pizza-oven-2/press")
            .WithPayload(Encoding.ASCII.GetBytes(press)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await _kitchen.SettleAsync(TimeSpan.FromSeconds(2));
        await Task.Delay(500);
        Assert.Equal(ExecutionStatus.RUNNING, order.Status);
        Assert.DoesNotContain("pizza-oven-2#1#1", _log.ToString());
    }

    [Fact]
    public async Task A_certificate_from_another_authority_cannot_connect()
    {
        using var stranger = new LocalCertificateAuthority();
        IssuedCertificate forged = stranger.IssueClient("pizza-oven-1");
        PairedButton genuine = await _kitchen.PairAsync("pizza-oven-1", "pizza");

        // The forged certificate claims a real thing name and trusts our broker's CA, but is not signed by it.
        var identity = TlsIdentity.FromPem(forged.CertificatePem, forged.PrivateKeyPem, genuine.Identity.CertificateAuthority.ExportCertificatePem());
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(MqttTls.Options("127.0.0.1", _kitchen.BrokerPort, "pizza-oven-1", identity, cleanSession: true)));
        Assert.False(client.IsConnected);
    }
}
