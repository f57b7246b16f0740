using System;
using System.Security.Cryptography;
using KitchenButton.Device.Platform;

namespace KitchenButton.Firmware.Hardware
{
    /// <summary>
    /// The core's HMAC on nanoFramework's native HMAC-SHA256. Its API hashes whole arrays and returns a
    /// new one, so the press path copies the canonical string once; a press is rare, this is cheap.
    /// </summary>
    internal sealed class NanoHmacSha256 : IHmacSha256
    {
        private readonly byte[] _key;

        public NanoHmacSha256(byte[] key)
        {
            _key = key;
        }

        public void ComputeHash(byte[] data, int count, byte[] destination)
        {
            byte[] exact = new byte[count];
            Array.Copy(data, exact, count);
            byte[] mac = HMACSHA256.HashData(_key, exact);
            Array.Copy(mac, destination, 32);
        }
    }
}
