using System;
using System.Security.Cryptography;
using KitchenButton.Device.Platform;

namespace KitchenButton.Simulator.Host;

/// <summary><see cref="IHmacSha256"/> on .NET's own HMAC-SHA256; the key is copied and kept private.</summary>
public sealed class HostHmacSha256 : IHmacSha256
{
    private readonly byte[] _key;

    public HostHmacSha256(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = (byte[])key.Clone();
    }

    public void ComputeHash(byte[] data, int count, byte[] destination)
    {
        HMACSHA256.HashData(_key, data.AsSpan(0, count), destination.AsSpan(0, HMACSHA256.HashSizeInBytes));
    }
}
