using KitchenButton.Device.Connectivity;
using KitchenButton.Device.Input;
using KitchenButton.Device.Light;
using KitchenButton.Device.Messaging;
using KitchenButton.Device.Platform;
using KitchenButton.Device.Protocol;

namespace KitchenButton.Device.Control
{
    /// <summary>
    /// The button's logic, free of hardware: events in (edges, clock, connection, PUBACK, state messages,
    /// ticks), actions out through <see cref="IDeviceActions"/>. The firmware app and the virtual button
    /// are thin shells that call it from one thread and carry out what it asks.
    /// </summary>
    public sealed class DeviceController : IPressListener
    {
        private readonly DeviceControllerOptions _options;
        private readonly IDeviceActions _actions;
        private readonly PressDetector _detector;
        private readonly Outbox _outbox;
        private readonly PressMessageEncoder _encoder;
        private readonly ReconnectPolicy _reconnect;
        private readonly LightIndicator _indicator = new LightIndicator();
        private readonly StateMessageParser _stateMessageParser = new StateMessageParser();
        private readonly StateMessage _stateMessage = new StateMessage();
        private readonly PressMessage _message = new PressMessage();
        private readonly HealthReportEncoder _statusEncoder = new HealthReportEncoder();
        private readonly DeviceHealth _health = new DeviceHealth();

        private bool _started;
        private bool _hasFault;
        private LightState _fault;
        private bool _stuck;
        private long _stuckSince;
        private uint _boot;
        private uint _nextSeq = 1;

        private bool _clockKnown;
        private long _unixMinusUptimeMs;

        private bool _connected;
        private bool _connecting;
        private uint _connectAttempt;
        private long _connectRequestedAt;
        private long _nextConnectAt;

        private ushort _inflightId;
        private long _nextSendAt;

        private long _nextStatusAt;

        private bool _awaitingResult;
        private long _awaitingSince;
        private uint _lastShownSeq;
        private int _pendingOrders;

        public DeviceController(DeviceControllerOptions options, IHmacSha256 hmac, IRandomSource random, IDeviceActions actions)
        {
            _options = options;
            _actions = actions;
            _encoder = new PressMessageEncoder(options.ThingName, hmac);
            _detector = new PressDetector(options.Press, this);
            _outbox = new Outbox(options.OutboxCapacity);
            _reconnect = new ReconnectPolicy(random);
        }

        public uint Boot => _boot;

        /// <summary>The sequence number the next press will get.</summary>
        public uint NextSeq => _nextSeq;

        public bool IsConnected => _connected;

        public bool IsClockKnown => _clockKnown;

        public int QueuedPresses => _outbox.Count;

        /// <summary>Orders waiting at the station, as last reported by the gateway.</summary>
        public int PendingOrders => _pendingOrders;

        /// <summary>Presses refused because the outbox was full.</summary>
        public int RefusedPresses { get; private set; }

        /// <summary>Presses the broker acknowledged.</summary>
        public int AcknowledgedPresses { get; private set; }

        /// <summary>State messages that could not be parsed.</summary>
        public int MalformedStateMessages { get; private set; }

        public LightState Light => _indicator.Current;

        /// <summary>
        /// True when a restart would lose nothing: no press held, none waiting or in flight, no answer
        /// awaited. The shell restarts for low memory only then ("between presses").
        /// </summary>
        /// <summary>The button is down now.</summary>
        public bool IsButtonHeld => _detector.IsPressed;

        public bool IsQuiescent => !_detector.IsPressed && _outbox.IsEmpty && _inflightId == 0 && !_awaitingResult;

        /// <summary>
        /// Starts a boot: the counter becomes <paramref name="previousBoot"/> + 1 and is persisted before
        /// anything else, since (thing, boot, seq) must never repeat.
        /// </summary>
        public void Start(uint previousBoot, long nowMs)
        {
            _boot = previousBoot + 1;
            if (!_actions.PersistBootCounter(_boot))
            {
                ReportFault(LightState.FaultStorage, nowMs);
                return;
            }

            _started = true;
            Refresh(nowMs);
        }

        /// <summary>Reports a fault the shell found (configuration, credentials, storage); the device stops sending.</summary>
        public void ReportFault(LightState fault, long nowMs)
        {
            _hasFault = true;
            _fault = fault;
            Refresh(nowMs);
        }

        /// <summary>A raw button edge, from the pin interrupt (true = pressed).</summary>
        public void OnButtonEdge(bool pressed, long atMs)
        {
            _detector.OnEdge(pressed, atMs);
            Refresh(atMs);
        }

        /// <summary>
        /// The wall clock is known (SNTP). Presses made before get their timestamps now. Returns false,
        /// and changes nothing, for a time too early to be true.
        /// </summary>
        public bool OnTimeSynchronized(long unixMs, long nowMs)
        {
            if (unixMs < _options.MinimumValidUnixMs)
            {
                return false;
            }

            _unixMinusUptimeMs = unixMs - nowMs;
            _clockKnown = true;
            _outbox.AssignTimestamps(_unixMinusUptimeMs);
            Refresh(nowMs);
            return true;
        }

        /// <summary>The number of the latest connection attempt asked of the shell (0 before the first).</summary>
        public uint ConnectAttempt => _connectAttempt;

        /// <summary>
        /// Attempt <paramref name="attempt"/> connected. False when it is not the attempt the controller
        /// waits for (it timed out and was abandoned, or a newer one was asked for): the connection is
        /// not used, and the shell closes it.
        /// </summary>
        public bool OnConnected(uint attempt, long nowMs)
        {
            if (!_connecting || attempt != _connectAttempt)
            {
                return false;
            }

            _connecting = false;
            _connected = true;
            _inflightId = 0;
            _nextSendAt = nowMs;
            _nextStatusAt = nowMs;
            _reconnect.OnConnected(nowMs);
            Refresh(nowMs);
            return true;
        }

        /// <summary>Attempt <paramref name="attempt"/> failed; a stale attempt's failure changes nothing.</summary>
        public void OnConnectFailed(uint attempt, long nowMs)
        {
            if (!_connecting || attempt != _connectAttempt)
            {
                return;
            }

            _connecting = false;
            ScheduleReconnect(nowMs);
            Refresh(nowMs);
        }

        public void OnDisconnected(long nowMs)
        {
            if (!_connected)
            {
                return;
            }

            _connected = false;
            _reconnect.OnDisconnected(nowMs);

            // The press in flight stays at the head of the outbox and is sent again after reconnecting;
            // the gateway's idempotency turns a second delivery into a no-op.
            _inflightId = 0;
            _outbox.MarkWaitingAsQueued();
            ScheduleReconnect(nowMs);
            Refresh(nowMs);
        }

        /// <summary>The broker acknowledged (PUBACK) the publish with this packet identifier.</summary>
        public void OnPublishAcknowledged(ushort packetId, long nowMs)
        {
            if (packetId == 0 || packetId != _inflightId)
            {
                return;
            }

            _inflightId = 0;
            _outbox.RemoveHead();
            AcknowledgedPresses++;
            _awaitingResult = true;
            _awaitingSince = nowMs;
            Refresh(nowMs);
        }

        /// <summary>
        /// The MQTT client gave up on the publish with this identifier (its own retries failed): the press
        /// stays at the head of the outbox and is sent again shortly.
        /// </summary>
        public void OnPublishFailed(ushort packetId, long nowMs)
        {
            if (packetId == 0 || packetId != _inflightId)
            {
                return;
            }

            _inflightId = 0;
            _nextSendAt = nowMs + _options.PublishRetryMs;
            Refresh(nowMs);
        }

        /// <summary>A message on the state topic. Returns false (and counts it) when malformed.</summary>
        public bool OnStateMessage(byte[] payload, int count, long nowMs)
        {
            if (!_stateMessageParser.TryParse(payload, count, _stateMessage))
            {
                MalformedStateMessages++;
                return false;
            }

            _pendingOrders = _stateMessage.Pending;

            // A retained message from an earlier boot, or a result already shown, must not flash again.
            if (_stateMessage.HasLast && _stateMessage.LastBoot == _boot && _stateMessage.LastSeq > _lastShownSeq && _stateMessage.LastSeq < _nextSeq)
            {
                _lastShownSeq = _stateMessage.LastSeq;
                _awaitingResult = false;
                ShowResult(_stateMessage.LastResult, nowMs);
            }

            Refresh(nowMs);
            return true;
        }

        /// <summary>Advances time: debouncing, connection attempts, sending and the LED. Allocates nothing.</summary>
        public void Tick(long nowMs)
        {
            _detector.Tick(nowMs);
            if (_connecting && nowMs - _connectRequestedAt >= _options.ConnectTimeoutMs)
            {
                // Give the attempt up for good: a late success must not be taken for a later attempt's.
                _actions.AbandonConnect(_connectAttempt);
                OnConnectFailed(_connectAttempt, nowMs);
                return;
            }

            Refresh(nowMs);
        }

        void IPressListener.OnLongThresholdReached(long nowMs)
        {
            _indicator.Overlay(LightState.LongPressArmed, nowMs);
        }

        void IPressListener.OnPress(PressKind kind, int heldMs, long releasedAtMs)
        {
            _indicator.ClearOverlay(LightState.LongPressArmed);
            if (!_started || _hasFault)
            {
                return;
            }

            bool online = _connected && _clockKnown;
            if (!_outbox.TryEnqueue(_boot, _nextSeq, releasedAtMs, kind, heldMs, !online))
            {
                RefusedPresses++;
                _indicator.Overlay(LightState.QueueFull, releasedAtMs);
                return;
            }

            _nextSeq++;
            if (_clockKnown)
            {
                _outbox.AssignTimestamps(_unixMinusUptimeMs);
            }
        }

        void IPressListener.OnStuck(long nowMs)
        {
            _stuck = true;
            _stuckSince = nowMs;
            _indicator.ClearOverlay(LightState.LongPressArmed);
        }

        void IPressListener.OnStuckReleased(long releasedAtMs)
        {
            _stuck = false;
        }

        private void ScheduleReconnect(long nowMs)
        {
            _nextConnectAt = nowMs + _reconnect.NextDelayMs();
        }

        /// <summary>Does whatever the current state allows, then brings the LED up to date.</summary>
        private void Refresh(long nowMs)
        {
            if (_started && !_hasFault)
            {
                MaybeConnect(nowMs);
                MaybeSend(nowMs);
                MaybeReportStatus(nowMs);
            }

            if (_awaitingResult && nowMs - _awaitingSince >= _options.ResultWaitMs)
            {
                _awaitingResult = false;
            }

            _indicator.SetWaiting(_pendingOrders, nowMs);
            _indicator.SetBase(SelectBaseStatus(nowMs), nowMs);
            if (_indicator.Update(nowMs))
            {
                _actions.SetLed(_indicator.IsOn, _indicator.Rgb);
            }
        }

        private void MaybeConnect(long nowMs)
        {
            // TLS needs a valid clock to check the broker's certificate: never try before it.
            if (_connected || _connecting || !_clockKnown || nowMs < _nextConnectAt)
            {
                return;
            }

            _connecting = true;
            _connectRequestedAt = nowMs;
            _connectAttempt++;
            _actions.RequestConnect(_connectAttempt);
        }

        private void MaybeSend(long nowMs)
        {
            // One press in flight at a time keeps the order of presses on the wire.
            if (!_connected || _inflightId != 0 || nowMs < _nextSendAt || !_outbox.TryPeekHead(_message))
            {
                return;
            }

            int length = _encoder.Encode(_message);
            ushort id = _actions.PublishPress(_encoder.Buffer, length);
            if (id == 0)
            {
                _nextSendAt = nowMs + _options.PublishRetryMs;
                return;
            }

            _inflightId = id;
        }

        private void MaybeReportStatus(long nowMs)
        {
            if (!_connected || nowMs < _nextStatusAt)
            {
                return;
            }

            _nextStatusAt = nowMs + _options.StatusIntervalMs;
            _actions.ReadHealth(_health);
            int length = _statusEncoder.Encode(_options.FirmwareVersion, _boot, nowMs / 1000, _outbox.Count, _health);
            _actions.PublishStatus(_statusEncoder.Buffer, length);
        }

        private void ShowResult(PressResult result, long nowMs)
        {
            switch (result)
            {
                case PressResult.Resumed:
                    _indicator.Overlay(LightState.Resumed, nowMs);
                    break;
                case PressResult.ProblemReported:
                    _indicator.Overlay(LightState.ProblemSent, nowMs);
                    break;
                case PressResult.NoPending:
                    _indicator.Overlay(LightState.NothingWaiting, nowMs);
                    break;
                case PressResult.Rejected:
                    _indicator.Overlay(LightState.Rejected, nowMs);
                    break;
                default:
                    // A duplicate was already answered once; an unknown result has nothing to show.
                    break;
            }
        }

        private LightState SelectBaseStatus(long nowMs)
        {
            if (_hasFault)
            {
                return _fault;
            }

            if (_stuck)
            {
                // Holding past the stuck time is how a cook cancels a press: say "cancelled, release",
                // and call it a stuck button only if it stays held well beyond that.
                return nowMs - _stuckSince < _options.CancelShownMs ? LightState.Cancelling : LightState.FaultStuckButton;
            }

            if (!_started)
            {
                return LightState.Booting;
            }

            if (_inflightId != 0 || _awaitingResult || (_connected && _outbox.HeadIsReady))
            {
                return LightState.Sending;
            }

            if (!_connected)
            {
                return _outbox.IsEmpty ? LightState.Connecting : LightState.OfflineWithQueued;
            }

            return _pendingOrders > 0 ? LightState.OrdersWaiting : LightState.Idle;
        }
    }
}
