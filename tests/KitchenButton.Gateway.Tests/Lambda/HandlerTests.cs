using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Lambda;

public sealed class HandlerTests : GatewayTestBase
{
    private static readonly byte[] Secret = new byte[32];

    public HandlerTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.PairAsync("pizza-oven-1", "pizza", Secret);
    }

    [Fact]
    public async Task The_press_handler_takes_the_rule_event_stream_and_returns_the_outcome_json()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        var function = new Functions(Gw.Composition);
        byte[] press = PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Gw.Now.ToUnixTimeSeconds()));

        using Stream output = await function.PressAsync(new MemoryStream(press));
        using JsonDocument doc = await JsonDocument.ParseAsync(output);

        Assert.Equal("resumed", doc.RootElement.GetProperty("result").GetString());
        Assert.Equal("ord-1", doc.RootElement.GetProperty("orderId").GetString());
        Assert.Equal("pizza-oven-1#1#1", doc.RootElement.GetProperty("pressId").GetString());
        Assert.False(doc.RootElement.TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task A_press_invocation_writes_its_metrics_as_one_emf_document_on_the_raw_output()
    {
        await Gw.EnqueueOrderAsync("pizza", "ord-1");
        var function = new Functions(Gw.Composition);
        int before = Gw.LogLines().Length;
        byte[] press = PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, Gw.Now.ToUnixTimeSeconds()));

        using Stream output = await function.PressAsync(new MemoryStream(press));

        string[] emf = Gw.LogLines().Skip(before).Where(l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal)).ToArray();
        string document = Assert.Single(emf);
        using JsonDocument doc = JsonDocument.Parse(document);
        string[] names = doc.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Name").GetString()!).ToArray();
        Assert.Equal(new[] { "PressesAccepted", "PressToCallbackLatency", "OrdersResumed" }, names);
    }

    [Fact]
    public async Task Without_a_configured_endpoint_the_gateway_looks_up_its_iot_data_endpoint_once()
    {
        // The stack no longer bakes the endpoint in (no custom resource): the function asks
        // iot:DescribeEndpoint for iot:Data-ATS on first use and keeps the answer.
        var settings = new GatewaySettings(Gw.Tables, "eu-west-1", Gw.Aws.BaseUri, null, Gw.Composition.Dynamo.Config.ServiceURL is { } url ? new Uri(url) : null, new KitchenButton.Gateway.Processing.GatewayOptions())
        {
            IotControlEndpoint = Gw.Aws.BaseUri,
        };
        var composition = new GatewayComposition(settings, new Amazon.Runtime.BasicAWSCredentials("AKIDLOCAL", "local-secret"), new CapturedOutput(), Gw.Clock);
        Gw.Aws.DataEndpointAddress = "127.0.0.1:" + Gw.Aws.Port;
        int lookups = Gw.Aws.Requests("GET", "/endpoint");
        await Gw.EnqueueOrderAsync("pizza", "ord-2");
        var function = new Functions(composition);
        for (uint seq = 1; seq <= 2; seq++)
        {
            byte[] press = PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 7, seq, Gw.Now.ToUnixTimeSeconds()));
            using Stream output = await function.PressAsync(new MemoryStream(press));
        }

        Assert.Equal(lookups + 1, Gw.Aws.Requests("GET", "/endpoint"));
        Assert.NotNull(Gw.Aws.Retained("cmd/kitchenbutton/pizza-oven-1/state"));
    }

    [Fact]
    public async Task The_notifier_handler_takes_a_stream_batch()
    {
        var function = new Functions(Gw.Composition);
        string batch = "{\"Records\":[{\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"stationId\":{\"S\":\"pizza\"},\"queueKey\":{\"S\":\"k\"}}}}]}";
        using Stream output = await function.NotifierAsync(new MemoryStream(Encoding.UTF8.GetBytes(batch)));
        Assert.Equal("{\"published\":1}", await new StreamReader(output).ReadToEndAsync());
    }

    [Fact]
    public void Settings_name_every_missing_variable()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GatewaySettings.FromEnvironment(new Hashtable()));
        foreach (string name in new[] { "KB_PENDING_TABLE", "KB_DEVICES_TABLE", "KB_STATIONS_TABLE", "KB_LEDGER_TABLE", "AWS_REGION", "KB_METRIC_NAMESPACE" })
        {
            Assert.Contains(name + " is not set", e.Message);
        }
    }

    [Fact]
    public void Settings_resolve_the_regional_states_endpoint_and_a_bare_iot_host()
    {
        var env = new Hashtable
        {
            ["KB_PENDING_TABLE"] = "p",
            ["KB_DEVICES_TABLE"] = "d",
            ["KB_STATIONS_TABLE"] = "s",
            ["KB_LEDGER_TABLE"] = "l",
            ["AWS_REGION"] = "eu-west-1",
            ["KB_IOT_DATA_ENDPOINT"] = "abc123-ats.iot.eu-west-1.amazonaws.com",
            ["KB_MAX_AGE_SECONDS"] = "600",
            ["KB_METRIC_NAMESPACE"] = "KitchenButton/prod",
        };
        GatewaySettings settings = GatewaySettings.FromEnvironment(env);
        Assert.Equal(new Uri("https://states.eu-west-1.amazonaws.com"), settings.StatesEndpoint);
        Assert.Equal(new Uri("https://abc123-ats.iot.eu-west-1.amazonaws.com"), settings.IotDataEndpoint);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Options.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Options.MaxFutureSkew);
        Assert.Null(settings.DynamoEndpoint);

        env["KB_MAX_AGE_SECONDS"] = "soon";
        Assert.Contains("KB_MAX_AGE_SECONDS must be a positive whole number of seconds", Assert.Throws<InvalidOperationException>(() => GatewaySettings.FromEnvironment(env)).Message);
    }
}
