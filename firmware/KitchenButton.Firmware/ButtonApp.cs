using System;
using System.Device.Gpio;
using System.Threading;
using KitchenButton.Device.Configuration;
using KitchenButton.Device.Control;
using KitchenButton.Device.Input;
using KitchenButton.Device.Platform;
using KitchenButton.Device.Light;
using KitchenButton.Device.Time;
using KitchenButton.Firmware.Hardware;
using KitchenButton.Firmware.Network;
using KitchenButton.Firmware.Storage;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace KitchenButton.Firmware
{
    /// <summary>
    /// The hardware shell around the device core: loads configuration and credentials, wires the pin,
    /// the LED, Wi-Fi, SNTP and MQTT to the controller, and runs the one thread the controller lives
    /// on. Decisions are the core's; this class only carries them out.
    /// </summary>
    internal sealed class ButtonApp : IDeviceActions
    {
        private const int ClockFloorSaveMs = 60 * 60 * 1000;
        private const int ClockCheckMs = 60 * 1000;

        private readonly FlashFiles _flash = new FlashFiles();
        private readonly EventQueue _events = new EventQueue();
        private readonly AutoResetEvent _connectRequested = new AutoResetEvent(false);

        // Written by the main loop before it signals _connectRequested, read by the network thread after.
        private uint _requestedAttempt;
        private readonly GpioController _gpio = new GpioController();
        private readonly LoopWatchdog _watchdog = new LoopWatchdog(FirmwareInfo.WatchdogMissesAllowed);
        private Timer? _watchdogTimer;
        private DeviceController _device = null!;
        private LedDriver _led = null!;
        private WifiLink _wifi = null!;
        private MqttLink _mqtt = null!;
        private ClockSync _clock = null!;
        private Maintenance _maintenance = null!;
        private string _lastError = string.Empty;

        public void Run()
        {
            Log.Line("KitchenButton firmware " + FirmwareInfo.Version);
            string? text = _flash.ReadText(FirmwareInfo.ConfigFile);
            if (text == null)
            {
                ShowFaultForever(DeviceConfig.DefaultLedPin, LightState.FaultConfiguration, "no configuration file at " + FirmwareInfo.ConfigFile);
            }

            // The pins are checked against the chip this nanoCLR was built for (ESP32_PSRAM_REV0, ESP32_S3_OCTAL...).
            DeviceConfigResult parsed = DeviceConfigParser.Parse(text!, ChipPins.FromTarget(SystemInfo.TargetName));
            if (!parsed.IsValid)
            {
                for (int i = 0; i < parsed.ErrorCount; i++)
                {
                    Log.Line("config: " + parsed.GetError(i).ToString());
                }

                ShowFaultForever(DeviceConfig.DefaultLedPin, LightState.FaultConfiguration, "configuration invalid: " + parsed.ErrorCount.ToString() + " error(s), listed above");
            }

            DeviceConfig config = parsed.Config!;
            string problem;
            Credentials? credentials = Credentials.Load(_flash, out problem);
            if (credentials == null)
            {
                ShowFaultForever(config.LedPin, LightState.FaultCredentials, "credentials: " + problem);
            }

            _led = new LedDriver(_gpio, config.LedPin);
            _wifi = new WifiLink(config.WifiSsid, config.WifiPassword);
            _mqtt = new MqttLink(config.IotEndpoint, config.MqttPort, config.ThingName, credentials!, _events);
            _device = new DeviceController(Options(config), new NanoHmacSha256(config.Secret), new SystemRandomSource(), this);

            bool woke = Sleep.GetWakeupCause() != Sleep.WakeupCause.Undefined;
            _clock = new ClockSync(ClockTracker.ParseFloor(_flash.ReadClockFloor()), _events, afterDeepSleep: woke);
            long now = Environment.TickCount64;
            _device.Start(BootCounter.Previous(_flash.ReadBootCounter(), new SystemRandomSource()), now);
            Log.Line("boot " + _device.Boot.ToString());
            _maintenance = new Maintenance(_device, _flash, config.Chip, config.ButtonPin, config.SleepAfterIdleSeconds, now);
            var button = new ButtonInput(_gpio, config.ButtonPin, _events);
            if (button.IsPressed)
            {
                // Held at power-on (or the press that woke the board): the release still counts.
                _events.Post(ButtonEvent.Edge, now, 1, null);
            }

            new Thread(NetworkLoop).Start();
            _watchdogTimer = new Timer(CheckWatchdog, null, FirmwareInfo.WatchdogPeriodMs, FirmwareInfo.WatchdogPeriodMs);
            MainLoop();
        }

        private static DeviceControllerOptions Options(DeviceConfig config)
        {
            return new DeviceControllerOptions(config.ThingName)
            {
                Press = new PressDetectorOptions(config.DebounceMs, config.LongPressMs, config.StuckMs),
                OutboxCapacity = config.OutboxCapacity,
                FirmwareVersion = FirmwareInfo.Version,
                StatusIntervalMs = config.StatusIntervalSeconds * 1000,
            };
        }

        private void MainLoop()
        {
            long nextMaintenance = 0;
            long nextClockSave = ClockFloorSaveMs;
            while (true)
            {
                long now = Environment.TickCount64;
                _watchdog.Feed();
                try
                {
                    Drain(now);
                    _device.Tick(now);
                    if (now >= nextMaintenance)
                    {
                        nextMaintenance = now + 1000;
                        _maintenance.Check(now);
                    }

                    if (now >= nextClockSave && _device.IsClockKnown)
                    {
                        nextClockSave = now + ClockFloorSaveMs;
                        _flash.SaveClockFloor(ClockSync.UnixNowMs());
                    }
                }
                catch (Exception e)
                {
                    // A bug, not a configuration problem: restart cleanly rather than run half-broken.
                    _maintenance.Restart("unhandled " + e.GetType().Name + ": " + e.Message);
                }

                Thread.Sleep(FirmwareInfo.TickMs);
            }
        }

        private void CheckWatchdog(object? state)
        {
            if (_watchdog.Check())
            {
                _watchdogTimer?.Dispose();

                // The main loop is stuck (a blocked socket write, a deadlock): no press is read or
                // sent any more. Presses queued in RAM are lost, but a stuck loop would never send them.
                _maintenance.Restart("main loop starved for " + (FirmwareInfo.WatchdogPeriodMs * FirmwareInfo.WatchdogMissesAllowed / 1000).ToString() + " s");
            }
        }

        private void Drain(long now)
        {
            ButtonEvent kind;
            long at;
            long value;
            byte[]? payload;
            while (_events.TryTake(out kind, out at, out value, out payload))
            {
                switch (kind)
                {
                    case ButtonEvent.Edge:
                        _maintenance.NoteActivity(at);
                        _device.OnButtonEdge(value == 1, at);
                        break;
                    case ButtonEvent.TimeSynchronized:
                        _device.OnTimeSynchronized(value, at);
                        break;
                    case ButtonEvent.Connected:
                        // A connection the controller no longer waits for (it timed out) is closed, not used.
                        _mqtt.Settle((uint)value, _device.OnConnected((uint)value, at));
                        break;
                    case ButtonEvent.ConnectFailed:
                        _device.OnConnectFailed((uint)value, at);
                        break;
                    case ButtonEvent.Disconnected:
                        _device.OnDisconnected(at);
                        _mqtt.Closed();
                        break;
                    case ButtonEvent.PublishAcknowledged:
                        _device.OnPublishAcknowledged((ushort)value, at);
                        break;
                    case ButtonEvent.PublishFailed:
                        _device.OnPublishFailed((ushort)value, at);
                        break;
                    case ButtonEvent.StateMessage:
                        if (payload != null && !_device.OnStateMessage(payload, payload.Length, now))
                        {
                            _lastError = "state message malformed";
                        }

                        break;
                }
            }
        }

        /// <summary>The network thread: any exception out of it ends in a logged restart, never a board that silently stops sending.</summary>
        private void NetworkLoop()
        {
            try
            {
                RunNetwork();
            }
            catch (Exception e)
            {
                _maintenance.Restart("network thread: unhandled " + e.GetType().Name + ": " + e.Message);
            }
        }

        /// <summary>Wi-Fi, then the clock, then MQTT connections as the controller asks for them.</summary>
        private void RunNetwork()
        {
            int wifiDelay = 1000;
            while (!_wifi.Connect(30000))
            {
                _lastError = _wifi.LastError;
                Thread.Sleep(wifiDelay);
                wifiDelay = wifiDelay < 60000 ? wifiDelay * 2 : 60000;
            }

            // A clock that survived a warm restart counts at once; otherwise wait for SNTP's answer.
            _clock.Start();
            _clock.Check();
            int attempt = 0;
            while (!_clock.IsSynchronised && !_clock.RequestAndWait())
            {
                attempt++;
                _lastError = "sntp: no answer yet";
                Log.Line("sntp: no answer after " + (attempt * ClockSync.WindowMs / 1000).ToString() + " s");
            }

            Log.Line("clock synchronised");
            while (true)
            {
                // SNTP corrects the clock every hour on its own: hand each correction to the core.
                if (_connectRequested.WaitOne(ClockCheckMs, false))
                {
                    _mqtt.Connect(_requestedAttempt);
                    if (_mqtt.LastError.Length > 0)
                    {
                        _lastError = _mqtt.LastError;
                    }
                }

                _clock.Check();
            }
        }

        private void ShowFaultForever(int ledPin, LightState fault, string message)
        {
            // Never a crash loop: blink the fault's count and repeat the reason on the debug output.
            var led = new LedDriver(_gpio, ledPin);
            var indicator = new LightIndicator();
            indicator.SetBase(fault, Environment.TickCount64);
            long nextMessage = 0;
            while (true)
            {
                long now = Environment.TickCount64;
                if (now >= nextMessage)
                {
                    Log.Line("FAULT: " + message);
                    nextMessage = now + 10000;
                }

                if (indicator.Update(now))
                {
                    led.Set(indicator.IsOn);
                }

                Thread.Sleep(FirmwareInfo.TickMs);
            }
        }

        bool IDeviceActions.PersistBootCounter(uint boot)
        {
            return _flash.WriteBootCounter(boot);
        }

        void IDeviceActions.RequestConnect(uint attempt)
        {
            _requestedAttempt = attempt;
            _connectRequested.Set();
        }

        void IDeviceActions.AbandonConnect(uint attempt)
        {
            _mqtt.Abandon(attempt);
        }

        ushort IDeviceActions.PublishPress(byte[] payload, int count)
        {
            return _mqtt.PublishPress(payload, count);
        }

        void IDeviceActions.SetLed(bool on, uint rgb)
        {
            _led.Set(on);
        }

        void IDeviceActions.ReadHealth(DeviceHealth health)
        {
            health.FreeMemoryBytes = _maintenance.ManagedFree;
            health.WifiRssi = _wifi.ReadRssi();
            health.LastError = _lastError;
        }

        void IDeviceActions.PublishStatus(byte[] payload, int count)
        {
            _mqtt.PublishStatus(payload, count);
        }
    }
}
