namespace KitchenButton.Firmware
{
    /// <summary>What happened, as posted by interrupt and network threads to the main loop.</summary>
    internal enum ButtonEvent
    {
        Edge,
        TimeSynchronized,
        Connected,
        ConnectFailed,
        Disconnected,
        PublishAcknowledged,
        PublishFailed,
        StateMessage,
    }

    /// <summary>
    /// A fixed ring of events from other threads to the main loop, so the device controller only ever
    /// runs on one thread. When full, a new event is dropped and counted: edges are the only
    /// high-rate source, and the detector's next edge or tick recovers the level.
    /// </summary>
    internal sealed class EventQueue
    {
        private const int Capacity = 64;

        private readonly object _lock = new object();
        private readonly int[] _kind = new int[Capacity];
        private readonly long[] _at = new long[Capacity];
        private readonly long[] _value = new long[Capacity];
        private readonly object?[] _payload = new object?[Capacity];
        private int _head;
        private int _count;

        public int Dropped { get; private set; }

        /// <summary>Queues an event; false (and counted) when the ring is full.</summary>
        public bool Post(ButtonEvent kind, long at, long value, byte[]? payload)
        {
            lock (_lock)
            {
                if (_count == Capacity)
                {
                    Dropped++;
                    return false;
                }

                int i = (_head + _count) % Capacity;
                _kind[i] = (int)kind;
                _at[i] = at;
                _value[i] = value;
                _payload[i] = payload;
                _count++;
                return true;
            }
        }

        public bool TryTake(out ButtonEvent kind, out long at, out long value, out byte[]? payload)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    kind = ButtonEvent.Edge;
                    at = 0;
                    value = 0;
                    payload = null;
                    return false;
                }

                kind = (ButtonEvent)_kind[_head];
                at = _at[_head];
                value = _value[_head];
                payload = (byte[]?)_payload[_head];

                // Release the payload for the collector: the ring outlives every message.
                _payload[_head] = null;
                _head = (_head + 1) % Capacity;
                _count--;
                return true;
            }
        }
    }
}
