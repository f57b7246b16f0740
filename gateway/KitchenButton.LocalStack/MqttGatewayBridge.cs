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
using KitchenButton.Simulator.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace KitchenButton.LocalStack;

/// <summary>
/// Plays the IoT topic rules of the stack on the local broker: each press or status message becomes
/// the event the rule would build (payload fields plus topicThing, clientId, receivedAt) and goes to
/// the real gateway code, asynchronously and with Lambda's retries. It is also the gateway's state
/// publisher here, in place of the IoT data plane. The broker's ACL binds topics to the certificate's
/// CN, so the topic's thing stands in for IoT's clientid() as well.
/// </summary>
public sealed class MqttGatewayBridge : IDeviceStatePublisher, IAsyncDisposable
{
    private static readonly TimeSpan[] RetryDelays = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) };

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly TextWriter _log;
    private GatewayComposition? _gateway;
    private Action<byte[], Exception, int>? _onFailure;
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

    /// <param name="onFailure">Where a press goes once its retries are used (event, last error, attempts): Lambda's on-failure destination.</param>
    public async Task StartAsync(int port, TlsIdentity identity, GatewayComposition gateway, Action<byte[], Exception, int>? onFailure = null)
    {
        _gateway = gateway;
        _onFailure = onFailure;
        await _client.ConnectAsync(MqttTls.Options("127.0.0.1", port, MosquittoBroker.GatewayIdentity, identity, cleanSession: true));
        await _client.SubscribeAsync("dt/kitchenbutton/+/press", MqttQualityOfServiceLevel.AtLeastOnce);
        await _client.SubscribeAsync("dt/kitchenbutton/+/status", MqttQualityOfServiceLevel.AtLeastOnce);
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
        GatewayComposition gateway = _gateway ?? throw new InvalidOperationException("bridge not started");
        bool press = topic.EndsWith("/press", StringComparison.Ordinal);
        byte[]? ruleEvent = RuleEvent(topic, payload, receivedAt, withClientId: press);
        if (ruleEvent == null)
        {
            _log.WriteLine("bridge: " + topic + " payload is not a JSON object; the rule would not fire");
            return;
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                // One invocation as Lambda runs it: its metrics leave as one EMF document.
                using KitchenButton.Gateway.Observability.InvocationScope invocation = gateway.Telemetry.BeginInvocation();
                if (press)
                {
                    PressOutcome outcome = await gateway.Processor.ProcessAsync(ruleEvent, CancellationToken.None);
                    _log.WriteLine("gateway: " + outcome.PressId + " -> " + outcome.Result.ToWire() + (outcome.OrderId != null ? " (" + outcome.OrderId + ")" : string.Empty) + (outcome.Reason != null ? " [" + outcome.Reason.Value.ToWire() + "]" : string.Empty));
                }
                else
                {
                    await gateway.Health.RecordAsync(ruleEvent, CancellationToken.None);
                }

                return;
            }
            catch (RetryLaterException e) when (attempt < RetryDelays.Length)
            {
                _log.WriteLine("gateway: retrying after " + e.Message);
                await Task.Delay(RetryDelays[attempt]);
            }
            catch (Exception e)
            {
                // As Lambda does: the press goes to the press-failures queue, where `kitchenbutton presses failed` finds it.
                _log.WriteLine("gateway: gave up on a message from " + topic + ": " + e.GetType().Name);
                if (press)
                {
                    _onFailure?.Invoke(ruleEvent, e, attempt + 1);
                }

                return;
            }
        }
    }
}
