using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// The protocol's HMAC-SHA256 over the canonical string, rebuilt from parsed values (never from the
/// raw text) and compared in constant time.
/// </summary>
public static class PressSignature
{
    public const int SecretLength = 32;

    public static string Canonical(Press press)
    {
        return string.Create(CultureInfo.InvariantCulture,
            $"kb1\n{press.Thing}\n{press.Boot}\n{press.Seq}\n{press.Timestamp}\n{press.KindName}\n{press.HeldMs}\n{(press.Queued ? 1 : 0)}");
    }

    public static string Compute(Press press, ReadOnlySpan<byte> secret)
    {
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(Canonical(press))));
    }

    public static bool IsValid(Press press, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretLength || press.Signature.Length != 64)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(Canonical(press)), expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(press.Signature, given, out _, out int written) != System.Buffers.OperationStatus.Done || written != given.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
