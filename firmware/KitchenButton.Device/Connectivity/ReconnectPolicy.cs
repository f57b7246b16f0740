using System;
using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Connectivity
{
    /// <summary>
    /// Exponential backoff with full jitter between connection attempts, 1 s to 60 s by default. The
    /// attempt count resets only after a connection stayed up long enough to be called stable, so a
    /// broker that accepts and immediately drops us does not get hammered.
    /// </summary>
    public sealed class ReconnectPolicy
    {
        public const int DefaultMinDelayMs = 1000;
        public const int DefaultMaxDelayMs = 60000;
        public const int DefaultStableAfterMs = 30000;

        private readonly IRandomSource _random;
        private readonly int _minDelayMs;
        private readonly int _maxDelayMs;
        private readonly int _stableAfterMs;
        private int _attempt;
        private bool _connected;
        private long _connectedAt;

        public ReconnectPolicy(IRandomSource random)
            : this(random, DefaultMinDelayMs, DefaultMaxDelayMs, DefaultStableAfterMs)
        {
        }

        public ReconnectPolicy(IRandomSource random, int minDelayMs, int maxDelayMs, int stableAfterMs)
        {
            if (minDelayMs < 1 || maxDelayMs < minDelayMs || stableAfterMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(minDelayMs));
            }

            _random = random;
            _minDelayMs = minDelayMs;
            _maxDelayMs = maxDelayMs;
            _stableAfterMs = stableAfterMs;
        }

        /// <summary>Failed attempts since the last stable connection.</summary>
        public int Attempt => _attempt;

        /// <summary>The upper bound of the next delay: min * 2^attempt, capped at max.</summary>
        public int CurrentCeilingMs
        {
            get
            {
                long ceiling = _minDelayMs;
                for (int i = 0; i < _attempt && ceiling < _maxDelayMs; i++)
                {
                    ceiling *= 2;
                }

                return ceiling > _maxDelayMs ? _maxDelayMs : (int)ceiling;
            }
        }

        /// <summary>The delay before the next attempt: uniform in [min, ceiling]. Advances the attempt count.</summary>
        public int NextDelayMs()
        {
            int ceiling = CurrentCeilingMs;
            if (ceiling < _maxDelayMs)
            {
                _attempt++;
            }

            return _minDelayMs + _random.Next(ceiling - _minDelayMs + 1);
        }

        public void OnConnected(long nowMs)
        {
            _connected = true;
            _connectedAt = nowMs;
        }

        public void OnDisconnected(long nowMs)
        {
            if (_connected && nowMs - _connectedAt >= _stableAfterMs)
            {
                _attempt = 0;
            }

            _connected = false;
        }
    }
}
