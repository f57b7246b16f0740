using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Device.Control;
using KitchenButton.Device.Light;
using KitchenButton.Device.Platform;
using KitchenButton.Device.Protocol;
using KitchenButton.Simulator.Host;
using MQTTnet;
using MQTTnet.Protocol;

namespace KitchenButton.Simulator.Mqtt;

/// <summary>
/// The virtual button on a real broker: the device core in real time, talking MQTT over TLS 1.2
/// with a client certificate, as the ESP32 firmware does with M2Mqtt. Like the firmware, it runs
/// the controller on one loop and posts every network callback to it.
/// </summary>
public sealed class MqttButton : IDeviceActions, IAsyncDisposable
{
    private const int TickMs = 20;

    private readonly string _host;
    private readonly int _port;
    private readonly TlsIdentity _identity;
    private readonly TextWriter _log;
    private readonly DeviceController _device;
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<Action<long>> _inbox = new();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LightState> _statuses = new();
    private readonly string _thing;
    private Task _loop = Task.CompletedTask;
    private int _nextPacketId;
    private bool _wasConnected;
    private (uint Number, CancellationTokenSource? Cancel) _attempt;

    /// <param name="thing">The board's thing name (its kitchenbutton.ini); the certificate's common name unless given.</param>
    public MqttButton(string host, int port, TlsIdentity identity, byte[] secret, TextWriter log, string? thing = null)
    {
        _host = host;
        _port = port;
        _identity = identity;
        _log = log;
        _thing = thing ?? identity.CommonName;
        _device = new DeviceController(new DeviceControllerOptions(_thing) { FirmwareVersion = "virtual-1.0" }, new HostHmacSha256(secret), new SystemRandomSource(), this);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            byte[] payload = e.ApplicationMessage.Payload.ToArray();
            Post(now => _device.OnStateMessage(payload, payload.Length, now));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += _ =>
        {
            if (_wasConnected)
            {
                _wasConnected = false;
                Post(now => _device.OnDisconnected(now));
            }

            return Task.CompletedTask;
        };
    }

    public string Thing => _thing;

    /// <summary>Every LED status shown so far, in order.</summary>
    public IReadOnlyList<LightState> Statuses
    {
        get
        {
            lock (_statuses)
            {
                return _statuses.ToArray();
            }
        }
    }

    /// <summary>Powers the button on: boot, a valid clock (the host's), then the controller connects.</summary>
    public void Start(uint previousBoot = 0)
    {
        Post(now =>
        {
            _device.Start(previousBoot, now);
            _device.OnTimeSynchronized(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), now);
        });
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>A cook's press: down now, up after <paramref name="holdMs"/>.</summary>
    public async Task PressAsync(int holdMs)
    {
        Post(now => _device.OnButtonEdge(true, now));
        await Task.Delay(holdMs);
        Post(now => _device.OnButtonEdge(false, now));
    }

    /// <summary>Waits until a condition on the controller holds, evaluated on the controller's loop.</summary>
    public async Task<bool> WaitUntilAsync(Func<DeviceController, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(_ => answer.TrySetResult(condition(_device)));
            if (await answer.Task)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    bool IDeviceActions.PersistBootCounter(uint boot)
    {
        _log.WriteLine(_thing + ": boot " + boot);
        return true;
    }

    void IDeviceActions.RequestConnect(uint attempt)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _attempt = (attempt, cancel);
        _ = Task.Run(async () =>
        {
            try
            {
                // A persistent session, as the firmware asks AWS IoT for.
                await _client.ConnectAsync(MqttTls.Options(_host, _port, _thing, _identity, cleanSession: false), cancel.Token);
                await _client.SubscribeAsync(DeviceTopics.State(_thing), MqttQualityOfServiceLevel.AtLeastOnce, cancel.Token);
                _wasConnected = true;
                _log.WriteLine(_thing + ": connected to " + _host + ":" + _port);
                Post(now =>
                {
                    if (!_device.OnConnected(attempt, now))
                    {
                        // The controller gave this attempt up: a late connection is closed, not used.
                        _log.WriteLine(_thing + ": attempt " + attempt + " connected after it was given up: closing");
                        _ = _client.DisconnectAsync();
                    }
                });
            }
            catch (Exception e)
            {
                _log.WriteLine(_thing + ": connection failed: " + e.GetType().Name + " " + e.Message);
                Post(now => _device.OnConnectFailed(attempt, now));
            }
        });
    }

    void IDeviceActions.AbandonConnect(uint attempt)
    {
        if (_attempt.Number == attempt)
        {
            _attempt.Cancel?.Cancel();
        }
    }

    ushort IDeviceActions.PublishPress(byte[] payload, int count)
    {
        if (!_client.IsConnected)
        {
            return 0;
        }

        ushort id = (ushort)((Interlocked.Increment(ref _nextPacketId) % ushort.MaxValue) + 1);
        byte[] message = payload.AsSpan(0, count).ToArray();
        _ = Task.Run(async () =>
        {
            try
            {
                MqttClientPublishResult result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(DeviceTopics.Press(_thing))
                    .WithPayload(message)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build());
                Post(now =>
                {
                    if (result.IsSuccess)
                    {
                        _device.OnPublishAcknowledged(id, now);
                    }
                    else
                    {
                        _device.OnPublishFailed(id, now);
                    }
                });
            }
            catch (Exception)
            {
                Post(now => _device.OnPublishFailed(id, now));
            }
        });
        return id;
    }

    void IDeviceActions.SetLed(bool on, uint rgb)
    {
        // The status is what tests and people read; on/off flips with every blink.
    }

    void IDeviceActions.ReadHealth(DeviceHealth health)
    {
        health.FreeMemoryBytes = 96_000;
        health.WifiRssi = -55;
        health.LastError = string.Empty;
    }

    void IDeviceActions.PublishStatus(byte[] payload, int count)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        byte[] message = payload.AsSpan(0, count).ToArray();
        _ = _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.Status(_thing))
            .WithPayload(message)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build());
    }

    private void Post(Action<long> action) => _inbox.Enqueue(action);

    private async Task LoopAsync()
    {
        LightState shown = (LightState)(-1);
        while (!_stop.IsCancellationRequested)
        {
            long now = _uptime.ElapsedMilliseconds;
            while (_inbox.TryDequeue(out Action<long>? action))
            {
                action(now);
            }

            _device.Tick(now);
            if (_device.Light != shown)
            {
                shown = _device.Light;
                lock (_statuses)
                {
                    _statuses.Add(shown);
                }

                _log.WriteLine(_thing + ": LED " + shown);
            }

            try
            {
                await Task.Delay(TickMs, _stop.Token);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
