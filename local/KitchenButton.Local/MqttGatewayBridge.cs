using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.LocalAws;
using KitchenButton.Simulator.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace KitchenButton.Local;

/// <summary>
/// Plays the IoT topic rules of the stack on the local broker: each press or status message becomes
/// the event the rule would build (payload fields plus topicThing, clientId, receivedAt) and goes to
/// the real gateway code, asynchronously and with Lambda's retries. It is also the gateway's state
/// publisher here, in place of the IoT data plane. The broker's ACL binds topics to the certificate's
/// CN, so the topic's thing stands in for IoT's clientid() as well.
/// </summary>
public sealed class MqttGatewayBridge : IDeviceStatePublisher, IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly TextWriter _log;
    private IFunctionHost? _functions;
    private Action<string, byte[], Exception, int>? _onFailure;
    private int _inFlight;

    public MqttGatewayBridge(TextWriter log)
    {
        _log = log;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            string topic = e.ApplicationMessage.Topic;
            byte[] payload = e.ApplicationMessage.Payload.ToArray();
            long receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Interlocked.Increment(ref _inFlight);
            _ = Task.Run(async () =>
            {
                try
                {
                    await InvokeAsync(topic, payload, receivedAt);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
            return Task.CompletedTask;
        };
    }

    /// <summary>Messages handed to the gateway and not finished yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <param name="functions">Runs the gateway's functions: in this process, or the published bootstrap as Lambda does.</param>
    /// <param name="onFailure">Where an event goes once its retries are used (the entry point, the event, the last error, attempts): the function's on-failure destination.</param>
    public async Task StartAsync(int port, TlsIdentity identity, IFunctionHost functions, Action<string, byte[], Exception, int>? onFailure = null)
    {
        _functions = functions;
        _onFailure = onFailure;
        await _client.ConnectAsync(MqttTls.Options("127.0.0.1", port, MosquittoBroker.GatewayIdentity, identity, cleanSession: true));
        await _client.SubscribeAsync("dt/kitchenbutton/+/press", MqttQualityOfServiceLevel.AtLeastOnce);
        await _client.SubscribeAsync("dt/kitchenbutton/+/status", MqttQualityOfServiceLevel.AtLeastOnce);
    }

    /// <summary>Publishes what the IoT data plane was asked to (the bootstrap's state messages).</summary>
    public async Task PublishAsync(string topic, byte[] payload, bool retain)
    {
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build());
    }

    public async Task PublishStateAsync(string thing, string stateJson, CancellationToken cancellationToken)
    {
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(StateMessage.Topic(thing))
            .WithPayload(Encoding.UTF8.GetBytes(stateJson))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    /// <summary>The rule's SELECT *, plus the fields it adds; null when the payload is not a JSON object (the rule skips it).</summary>
    public static byte[]? RuleEvent(string topic, byte[] payload, long receivedAt, bool withClientId)
    {
        string[] levels = topic.Split('/');
        string text = Encoding.UTF8.GetString(payload).Trim();
        if (levels.Length != 4 || !text.StartsWith('{') || !text.EndsWith('}'))
        {
            return null;
        }

        string thing = levels[2];
        string extra = "\"topicThing\":\"" + thing + "\"" + (withClientId ? ",\"clientId\":\"" + thing + "\"" : string.Empty) + ",\"receivedAt\":" + receivedAt;
        string body = text[1..^1].Trim();
        return Encoding.UTF8.GetBytes("{" + body + (body.Length > 0 ? "," : string.Empty) + extra + "}");
    }

    private async Task InvokeAsync(string topic, byte[] payload, long receivedAt)
    {
        IFunctionHost functions = _functions ?? throw new InvalidOperationException("bridge not started");
        bool press = topic.EndsWith("/press", StringComparison.Ordinal);
        byte[]? ruleEvent = RuleEvent(topic, payload, receivedAt, withClientId: press);
        if (ruleEvent == null)
        {
            _log.WriteLine("bridge: " + topic + " payload is not a JSON object; the rule would not fire");
            return;
        }

        // An asynchronous invocation, as the topic rule's Lambda action makes it: on any error
        // Lambda tries twice more, then hands the event to the function's failure destination.
        string function = press ? nameof(Functions.PressAsync) : nameof(Functions.StatusAsync);
        await LocalAsyncInvocation.RunAsync(
            async () =>
            {
                byte[] result = await functions.InvokeAsync(function, ruleEvent, CancellationToken.None);
                if (press)
                {
                    _log.WriteLine("gateway: " + Describe(result));
                }
            },
            e => _log.WriteLine("gateway: retrying after " + e.GetType().Name + ": " + e.Message),
            (e, attempts) =>
            {
                // As Lambda does: the event goes to the function's failure queue (a press to
                // press-failures, where `kitchenbutton presses failed` finds it).
                _log.WriteLine("gateway: gave up on a message from " + topic + ": " + e.GetType().Name);
                _onFailure?.Invoke(function, ruleEvent, e, attempts);
            });
    }

    /// <summary>The press handler's answer as a log line: press, result, order or reason.</summary>
    private static string Describe(byte[] result)
    {
        try
        {
            using System.Text.Json.JsonDocument doc = System.Text.Json.JsonDocument.Parse(result);
            System.Text.Json.JsonElement root = doc.RootElement;
            string Field(string name) => root.TryGetProperty(name, out System.Text.Json.JsonElement v) ? v.ToString() : string.Empty;
            string order = Field("orderId");
            string reason = Field("reason");
            return Field("pressId") + " -> " + Field("result") + (order.Length > 0 ? " (" + order + ")" : string.Empty) + (reason.Length > 0 ? " [" + reason + "]" : string.Empty);
        }
        catch (System.Text.Json.JsonException)
        {
            return Encoding.UTF8.GetString(result);
        }
    }
}
