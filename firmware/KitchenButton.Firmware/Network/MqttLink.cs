using System;
using KitchenButton.Device.Protocol;
using KitchenButton.Firmware.Storage;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace KitchenButton.Firmware.Network
{
    /// <summary>
    /// MQTT over TLS 1.2 to AWS IoT Core with the device certificate; client id = thing name,
    /// persistent session, QoS 1 subscription to the state topic. Every callback is posted to the
    /// main loop; nothing here touches the controller. Reconnection is the controller's (backoff).
    /// </summary>
    internal sealed class MqttLink
    {
        private readonly string _endpoint;
        private readonly int _port;
        private readonly string _thing;
        private readonly Credentials _credentials;
        private readonly EventQueue _events;
        private readonly string _pressTopic;
        private readonly string _statusTopic;
        private readonly string _stateTopic;
        private readonly object _lock = new object();

        // The connection the controller uses (main loop only), the attempt connecting now (network
        // thread, abandoned from the main loop), and a connection waiting for the controller's word.
        private MqttClient? _client;
        private MqttClient? _connecting;
        private uint _connectingAttempt;
        private MqttClient? _pending;
        private uint _pendingAttempt;

        public MqttLink(string endpoint, int port, string thing, Credentials credentials, EventQueue events)
        {
            _endpoint = endpoint;
            _port = port;
            _thing = thing;
            _credentials = credentials;
            _events = events;
            _pressTopic = DeviceTopics.Press(thing);
            _statusTopic = DeviceTopics.Status(thing);
            _stateTopic = DeviceTopics.State(thing);
        }

        public string LastError { get; private set; } = string.Empty;

        /// <summary>
        /// Connection attempt <paramref name="attempt"/>, on the network thread; the outcome goes to the
        /// main loop with the attempt's number. A live connection is never dropped here: only the
        /// controller closes one (a stale attempt's, or after a disconnect), and every close it did not
        /// hear of is reported.
        /// </summary>
        public void Connect(uint attempt)
        {
            MqttClient? client = null;
            try
            {
                client = new MqttClient(_endpoint, _port, true, _credentials.RootCa, _credentials.Device, MqttSslProtocols.TLSv1_2);
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgPublishReceived += OnReceived;
                client.ConnectionClosed += OnClosed;
                lock (_lock)
                {
                    _connecting = client;
                    _connectingAttempt = attempt;
                }

                // No will, persistent session (cleanSession false), 60 s keep-alive. Connect blocks
                // through TCP, TLS and CONNACK; the TLS handshake has no timeout of its own, so the
                // controller's connect timeout ends it with AbandonConnect, which closes this client.
                MqttReasonCode result = client.Connect(_thing, null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, false, 60);
                if (result != MqttReasonCode.Success)
                {
                    // The client started its receive thread before CONNECT and holds a socket and a
                    // TLS context (lwIP has 16 sockets): close it, or every refusal leaks one.
                    ReleaseAttempt(client);
                    Fail(attempt, "mqtt: connection refused, code " + ((int)result).ToString(), null);
                    return;
                }

                client.Subscribe(new string[] { _stateTopic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
                lock (_lock)
                {
                    if (_connectingAttempt != attempt || _connecting != client)
                    {
                        // Abandoned while it connected: the controller has already given it up.
                        client = null;
                    }
                    else
                    {
                        _connecting = null;
                        _pending = client;
                        _pendingAttempt = attempt;
                    }
                }

                Log.Line("mqtt: connected to " + _endpoint + ":" + _port.ToString() + " as " + _thing);
                _events.Post(ButtonEvent.Connected, Environment.TickCount64, attempt, null);
            }
            catch (Exception e)
            {
                if (client != null)
                {
                    ReleaseAttempt(client);
                }

                // A TLS failure here is often a wrong clock, a wrong endpoint, or a certificate
                // without the device policy attached.
                Fail(attempt, "mqtt: " + e.GetType().Name, e.Message);
            }
        }

        /// <summary>On the main loop: the controller took attempt <paramref name="attempt"/>'s connection, or refused it (stale): use it or close it.</summary>
        public void Settle(uint attempt, bool accepted)
        {
            MqttClient? client;
            lock (_lock)
            {
                client = _pendingAttempt == attempt ? _pending : null;
                if (client != null)
                {
                    _pending = null;
                }
            }

            if (client == null)
            {
                return;
            }

            if (!accepted)
            {
                Log.Line("mqtt: attempt " + attempt.ToString() + " connected after it was given up: closed");
                Release(client);
                return;
            }

            // The controller uses one connection at a time: an older one (the controller has already
            // heard it close) is freed here.
            MqttClient? old = _client;
            _client = client;
            if (old != null && old != client)
            {
                Release(old);
            }
        }

        /// <summary>On the main loop: the controller gave attempt <paramref name="attempt"/> up; closing its client ends a handshake that would wait forever.</summary>
        public void Abandon(uint attempt)
        {
            MqttClient? client;
            lock (_lock)
            {
                client = _connectingAttempt == attempt ? _connecting : null;
                _connecting = null;
                _connectingAttempt = 0;
            }

            if (client != null)
            {
                Log.Line("mqtt: attempt " + attempt.ToString() + " outlived the connect timeout: closing it");
                ReleaseAttempt(client);
            }
        }

        /// <summary>On the main loop: the controller heard the connection close; its client is freed.</summary>
        public void Closed()
        {
            MqttClient? client = _client;
            _client = null;
            if (client != null)
            {
                Release(client);
            }
        }

        private void ReleaseAttempt(MqttClient client)
        {
            lock (_lock)
            {
                if (_connecting == client)
                {
                    _connecting = null;
                }
            }

            Release(client);
        }

        private void Fail(uint attempt, string error, string? detail)
        {
            LastError = error;
            Log.Line(detail == null ? error : error + ": " + detail);
            _events.Post(ButtonEvent.ConnectFailed, Environment.TickCount64, attempt, null);
        }

        public ushort PublishPress(byte[] payload, int count)
        {
            return Publish(_pressTopic, payload, count, MqttQoSLevel.AtLeastOnce);
        }

        public void PublishStatus(byte[] payload, int count)
        {
            Publish(_statusTopic, payload, count, MqttQoSLevel.AtMostOnce);
        }

        private ushort Publish(string topic, byte[] payload, int count, MqttQoSLevel qos)
        {
            MqttClient? client = _client;
            if (client == null || !client.IsConnected)
            {
                return 0;
            }

            byte[] exact = new byte[count];
            Array.Copy(payload, exact, count);
            try
            {
                return client.Publish(topic, exact, null, null, qos, false);
            }
            catch (Exception e)
            {
                LastError = "mqtt publish: " + e.GetType().Name;
                return 0;
            }
        }

        /// <summary>Unhooks and closes a client on every path, so its threads, socket and TLS context are freed.</summary>
        private void Release(MqttClient client)
        {
            client.MqttMsgPublished -= OnPublished;
            client.MqttMsgPublishReceived -= OnReceived;
            client.ConnectionClosed -= OnClosed;
            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception)
            {
                // Already gone: Close below still frees what is left.
            }

            try
            {
                client.Close();
            }
            catch (Exception)
            {
                // Close swallows its own failures in 5.1.220; nothing more to free here.
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            _events.Post(e.IsPublished ? ButtonEvent.PublishAcknowledged : ButtonEvent.PublishFailed, Environment.TickCount64, e.MessageId, null);
        }

        private void OnReceived(object sender, MqttMsgPublishEventArgs e)
        {
            if (e.Topic == _stateTopic)
            {
                _events.Post(ButtonEvent.StateMessage, Environment.TickCount64, 0, e.Message);
            }
        }

        private void OnClosed(object sender, EventArgs e)
        {
            // Raised on the client's receive thread when the broker or the network drops us.
            _events.Post(ButtonEvent.Disconnected, Environment.TickCount64, 0, null);
        }
    }
}
