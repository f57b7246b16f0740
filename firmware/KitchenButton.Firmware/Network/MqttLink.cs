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
        private MqttClient? _client;

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

        /// <summary>One connection attempt, on the network thread; the outcome goes to the main loop.</summary>
        public void Connect()
        {
            Close();
            MqttClient? client = null;
            try
            {
                client = new MqttClient(_endpoint, _port, true, _credentials.RootCa, _credentials.Device, MqttSslProtocols.TLSv1_2);
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgPublishReceived += OnReceived;
                client.ConnectionClosed += OnClosed;

                // No will, persistent session (cleanSession false), 60 s keep-alive.
                MqttReasonCode result = client.Connect(_thing, null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, false, 60);
                if (result != MqttReasonCode.Success)
                {
                    // The client started its receive thread before CONNECT and holds a socket and a
                    // TLS context (lwIP has 16 sockets): close it, or every refusal leaks one.
                    Release(client);
                    Fail("mqtt: connection refused, code " + ((int)result).ToString(), null);
                    return;
                }

                client.Subscribe(new string[] { _stateTopic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
                _client = client;
                _events.Post(ButtonEvent.Connected, Environment.TickCount64, 0, null);
            }
            catch (Exception e)
            {
                if (client != null)
                {
                    Release(client);
                }

                // A TLS failure here is often a wrong clock, a wrong endpoint, a certificate
                // without the device policy attached, or an empty configuration block.
                Fail("mqtt: " + e.GetType().Name + (_credentials.UsesConfigurationBlock ? " (certificate: configuration block)" : " (certificate: I:\\)"), e.Message);
            }
        }

        private void Fail(string error, string? detail)
        {
            LastError = error;
            Log.Line(detail == null ? error : error + ": " + detail);
            _events.Post(ButtonEvent.ConnectFailed, Environment.TickCount64, 0, null);
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

        private void Close()
        {
            MqttClient? client = _client;
            _client = null;
            if (client != null)
            {
                Release(client);
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
            _events.Post(ButtonEvent.Disconnected, Environment.TickCount64, 0, null);
        }
    }
}
