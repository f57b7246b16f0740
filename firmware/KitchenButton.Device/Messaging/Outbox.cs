using System;
using KitchenButton.Device.Input;
using KitchenButton.Device.Protocol;

namespace KitchenButton.Device.Messaging
{
    /// <summary>
    /// A bounded FIFO of presses waiting for the broker's acknowledgement. A press leaves only through
    /// <see cref="RemoveHead"/> (on PUBACK); when full, a new press is refused, never an old one dropped.
    /// Storage is a preallocated ring of parallel arrays so enqueueing allocates nothing.
    /// </summary>
    public sealed class Outbox
    {
        public const int DefaultCapacity = 32;

        /// <summary>Marks a press whose wall-clock time is not known yet.</summary>
        public const long UnknownTimestamp = -1;

        private readonly uint[] _boot;
        private readonly uint[] _seq;
        private readonly long[] _pressedAtMs;
        private readonly long[] _timestamp;
        private readonly int[] _heldMs;
        private readonly byte[] _flags;
        private int _head;
        private int _count;

        private const byte FlagLong = 1;
        private const byte FlagQueued = 2;
        private const byte FlagFrozen = 4;

        public Outbox(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity));
            }

            _boot = new uint[capacity];
            _seq = new uint[capacity];
            _pressedAtMs = new long[capacity];
            _timestamp = new long[capacity];
            _heldMs = new int[capacity];
            _flags = new byte[capacity];
        }

        public int Capacity => _seq.Length;

        public int Count => _count;

        public bool IsEmpty => _count == 0;

        public bool IsFull => _count == _seq.Length;

        /// <summary>
        /// Adds a press at the tail. <paramref name="releasedAtMs"/> is device uptime; the wall-clock
        /// timestamp comes later from <see cref="AssignTimestamps"/>. Returns false when full.
        /// </summary>
        public bool TryEnqueue(uint boot, uint seq, long releasedAtMs, PressKind kind, int heldMs, bool queued)
        {
            if (IsFull)
            {
                return false;
            }

            int i = (_head + _count) % _seq.Length;
            _boot[i] = boot;
            _seq[i] = seq;
            _pressedAtMs[i] = releasedAtMs;
            _timestamp[i] = UnknownTimestamp;
            _heldMs[i] = heldMs;
            byte flags = 0;
            if (kind == PressKind.Long)
            {
                flags |= FlagLong;
            }

            if (queued)
            {
                flags |= FlagQueued;
            }

            _flags[i] = flags;
            _count++;
            return true;
        }

        /// <summary>
        /// Gives every press without a wall-clock time one, from the offset between Unix time and uptime
        /// learned at clock synchronisation. Presses keep their real (boot-relative) moment.
        /// </summary>
        public void AssignTimestamps(long unixMinusUptimeMs)
        {
            for (int n = 0; n < _count; n++)
            {
                int i = (_head + n) % _seq.Length;
                if (_timestamp[i] == UnknownTimestamp)
                {
                    long unixMs = _pressedAtMs[i] + unixMinusUptimeMs;
                    _timestamp[i] = unixMs < 0 ? 0 : unixMs / 1000;
                }
            }
        }

        /// <summary>
        /// Marks every press not yet sent as having waited for the network. Presses already sent keep
        /// their signed content so a redelivery is byte-identical.
        /// </summary>
        public void MarkWaitingAsQueued()
        {
            for (int n = 0; n < _count; n++)
            {
                int i = (_head + n) % _seq.Length;
                if ((_flags[i] & FlagFrozen) == 0)
                {
                    _flags[i] |= FlagQueued;
                }
            }
        }

        /// <summary>True when the oldest press has a wall-clock time and can be signed.</summary>
        public bool HeadIsReady => _count > 0 && _timestamp[_head] != UnknownTimestamp;

        /// <summary>Copies the oldest press into <paramref name="target"/> and freezes its content.</summary>
        public bool TryPeekHead(PressMessage target)
        {
            if (!HeadIsReady)
            {
                return false;
            }

            int i = _head;
            _flags[i] |= FlagFrozen;
            target.Boot = _boot[i];
            target.Seq = _seq[i];
            target.Timestamp = _timestamp[i];
            target.HeldMs = _heldMs[i];
            target.Kind = (_flags[i] & FlagLong) != 0 ? PressKind.Long : PressKind.Short;
            target.Queued = (_flags[i] & FlagQueued) != 0;
            return true;
        }

        /// <summary>Sequence number of the oldest press, or 0 when empty.</summary>
        public uint HeadSeq => _count > 0 ? _seq[_head] : 0;

        /// <summary>Removes the oldest press, once the broker has acknowledged it.</summary>
        public bool RemoveHead()
        {
            if (_count == 0)
            {
                return false;
            }

            _head = (_head + 1) % _seq.Length;
            _count--;
            return true;
        }
    }
}
