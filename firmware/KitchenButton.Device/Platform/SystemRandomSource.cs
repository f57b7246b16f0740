using System;

namespace KitchenButton.Device.Platform
{
    /// <summary><see cref="IRandomSource"/> over <see cref="Random"/>, which both the chip and the host have.</summary>
    public sealed class SystemRandomSource : IRandomSource
    {
        private readonly Random _random;

        public SystemRandomSource()
        {
            _random = new Random();
        }

        public SystemRandomSource(int seed)
        {
            _random = new Random(seed);
        }

        public int Next(int maxExclusive)
        {
            return _random.Next(maxExclusive);
        }
    }
}
