namespace KitchenButton.Device.Platform
{
    /// <summary>Uniform random integers; injected so backoff jitter is testable at its extremes.</summary>
    public interface IRandomSource
    {
        /// <summary>Returns an integer in [0, maxExclusive).</summary>
        int Next(int maxExclusive);
    }
}
