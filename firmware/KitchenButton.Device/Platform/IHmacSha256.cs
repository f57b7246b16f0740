namespace KitchenButton.Device.Platform
{
    /// <summary>
    /// HMAC-SHA256 keyed with the device secret. The chip provides it through
    /// nanoFramework.System.Security.Cryptography and the host through .NET; the core never sees the key.
    /// </summary>
    public interface IHmacSha256
    {
        /// <summary>Computes the MAC of <paramref name="data"/>[0..count) into the first 32 bytes of <paramref name="destination"/>.</summary>
        void ComputeHash(byte[] data, int count, byte[] destination);
    }
}
