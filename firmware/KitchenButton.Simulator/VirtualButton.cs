using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using KitchenButton.Device.Control;
using KitchenButton.Device.Light;
using KitchenButton.Device.Platform;
using KitchenButton.Simulator.Host;

namespace KitchenButton.Simulator;

/// <summary>
/// Runs the device core as the firmware does - one thread, a 20 ms tick - against a simulated
/// network and kitchen, on a virtual clock, and narrates what happens.
/// </summary>
internal sealed class VirtualButton : IDeviceActions
{
    public const long TickMs = 20;
    private const long ConnectLatencyMs = 300;
    private const long ConnectFailureMs = 1000;
    private const long PubAckLatencyMs = 40;
    private const long GatewayLatencyMs = 150;

    /// <summary>The virtual clock's Unix time at uptime 0: 2026-11-25T12:00:00Z.</summary>
    private const long BootUnixMs = 1_795_608_000_000;

    private readonly TextWriter _out;
    private readonly DeviceController _device;
    private readonly SimulatedKitchen _kitchen;
    private readonly PriorityQueue<Action, (long, long)> _events = new();
    private long _eventOrder;
    private long _now;
    private bool _linkUp;
    private bool _connected;
    private int _connectionEpoch;
    private ushort _nextPacketId = 1;
    private LightState _shownLight = (LightState)(-1);

    public VirtualButton(string thing, byte[] secret, TextWriter output)
    {
        _out = output;
        _kitchen = new SimulatedKitchen(thing, secret);
        _device = new DeviceController(new DeviceControllerOptions(thing), new HostHmacSha256(secret), new SystemRandomSource(2026), this);
    }

    public int Published { get; private set; }

    public int LedWrites { get; private set; }

    public DeviceController Device => _device;

    public SimulatedKitchen Kitchen => _kitchen;

    public void Run(IReadOnlyList<ScenarioStep> steps)
    {
        int next = 0;
        long end = steps[^1].AtMs;
        for (_now = 0; _now <= end; _now += TickMs)
        {
            while (next < steps.Count && steps[next].AtMs <= _now)
            {
                Apply(steps[next++]);
            }

            while (_events.TryPeek(out _, out var key) && key.Item1 <= _now)
            {
                _events.Dequeue()();
            }

            _device.Tick(_now);
            ShowStatusChange();
        }
    }

    private void Apply(ScenarioStep step)
    {
        switch (step.Command)
        {
            case "boot":
                Say($"power on (stored boot counter {step.Arguments[0]})");
                _device.Start((uint)step.Arguments[0], _now);
                break;
            case "orders":
                _kitchen.PendingOrders = step.Arguments[0];
                Say($"kitchen: {step.Arguments[0]} order(s) waiting at the station");
                if (_connected)
                {
                    Deliver(_kitchen.CountMessage());
                }

                break;
            case "press":
                PressButton(step.Arguments[0], step.Arguments.Length > 1 ? step.Arguments[1] : 0);
                break;
            case "sntp":
                bool ok = _device.OnTimeSynchronized(BootUnixMs + _now, _now);
                Say("SNTP: clock " + (ok ? "synchronised" : "refused"));
                break;
            case "link":
                SetLink(step.Arguments[0] == 1);
                break;
        }
    }

    private void PressButton(int holdMs, int bounces)
    {
        Say($"cook presses for {holdMs} ms" + (bounces > 0 ? $" ({bounces} contact bounces each way)" : string.Empty));
        long t = _now;
        Edges(t, true, bounces);
        Edges(t + holdMs, false, bounces);
    }

    private void Edges(long at, bool level, int bounces)
    {
        for (int i = 0; i < bounces; i++)
        {
            long t = at + (2 * i);
            Schedule(t, () => _device.OnButtonEdge(level, t));
            Schedule(t + 1, () => _device.OnButtonEdge(!level, t + 1));
        }

        long final = at + (2 * bounces);
        Schedule(final, () => _device.OnButtonEdge(level, final));
    }

    private void SetLink(bool up)
    {
        _linkUp = up;
        Say("network " + (up ? "up" : "down"));
        if (!up && _connected)
        {
            _connected = false;
            _connectionEpoch++;
            _device.OnDisconnected(_now);
        }
    }

    private void Schedule(long at, Action action)
    {
        _events.Enqueue(action, (at, _eventOrder++));
    }

    private void Deliver(string stateJson)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(stateJson);
        _device.OnStateMessage(bytes, bytes.Length, _now);
        Say("state <- " + stateJson);
    }

    private void ShowStatusChange()
    {
        if (_device.Light != _shownLight)
        {
            _shownLight = _device.Light;
            Say("LED: " + _shownLight);
        }
    }

    private void Say(string text)
    {
        _out.WriteLine($"[{_now / 1000.0,7:0.000} s] {text}");
    }

    bool IDeviceActions.PersistBootCounter(uint boot)
    {
        Say($"flash: boot counter {boot} written");
        return true;
    }

    void IDeviceActions.RequestConnect(uint attempt)
    {
        Say("MQTT: connecting over TLS (attempt " + attempt + ")");
        if (_linkUp)
        {
            Schedule(_now + ConnectLatencyMs, () =>
            {
                if (!_linkUp)
                {
                    _device.OnConnectFailed(attempt, _now);
                    return;
                }

                // Connected before the controller hears of it: its first sends go out at once.
                _connected = true;
                Say("MQTT: connected, subscribed to the state topic");
                if (!_device.OnConnected(attempt, _now))
                {
                    _connected = false;
                    Say("MQTT: attempt " + attempt + " connected after it was given up: closed");
                    return;
                }

                Deliver(_kitchen.CountMessage());
            });
        }
        else
        {
            Schedule(_now + ConnectFailureMs, () =>
            {
                Say("MQTT: connection failed (network down)");
                _device.OnConnectFailed(attempt, _now);
            });
        }
    }

    void IDeviceActions.AbandonConnect(uint attempt)
    {
        Say("MQTT: attempt " + attempt + " took too long: given up");
    }

    ushort IDeviceActions.PublishPress(byte[] payload, int count)
    {
        if (!_connected)
        {
            return 0;
        }

        ushort id = _nextPacketId++;
        string json = Encoding.ASCII.GetString(payload, 0, count);
        Published++;
        Say($"publish #{id} -> {json}");
        int epoch = _connectionEpoch;
        Schedule(_now + PubAckLatencyMs, () =>
        {
            if (epoch == _connectionEpoch)
            {
                Say($"PUBACK #{id}");
                _device.OnPublishAcknowledged(id, _now);
                Schedule(_now + GatewayLatencyMs, () =>
                {
                    string state = _kitchen.Handle(json, out string result);
                    Say("gateway: " + result);
                    if (_connected)
                    {
                        Deliver(state);
                    }
                });
            }
        });
        return id;
    }

    void IDeviceActions.SetLed(bool on, uint rgb)
    {
        LedWrites++;
    }

    void IDeviceActions.ReadHealth(DeviceHealth health)
    {
        // The virtual board reports plausible ESP32-WROVER figures.
        health.FreeMemoryBytes = 96_000;
        health.WifiRssi = _linkUp ? -61 : -127;
        health.LastError = string.Empty;
    }

    void IDeviceActions.PublishStatus(byte[] payload, int count)
    {
        if (_connected)
        {
            Say("status -> " + Encoding.ASCII.GetString(payload, 0, count));
        }
    }
}
