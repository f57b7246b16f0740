using System;
using KitchenButton.Device.Input;
using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// Builds the signed JSON of a press (wire format v1) into a preallocated buffer. One instance per
    /// device; encoding allocates nothing.
    /// </summary>
    public sealed class PressMessageEncoder
    {
        /// <summary>The protocol's upper bound for a press message.</summary>
        public const int MaxMessageBytes = 512;

        /// <summary>Hex characters of the signature.</summary>
        public const int SignatureHexLength = 64;

        private const int MacLength = 32;

        private readonly byte[] _thing;
        private readonly IHmacSha256 _hmac;
        private readonly byte[] _canonical = new byte[160];
        private readonly byte[] _mac = new byte[MacLength];
        private readonly byte[] _buffer = new byte[MaxMessageBytes];

        public PressMessageEncoder(string thingName, IHmacSha256 hmac)
        {
            if (!ThingName.IsValid(thingName))
            {
                throw new ArgumentException("thing name must match [A-Za-z0-9_-]{1,64}", nameof(thingName));
            }

            _thing = new byte[thingName.Length];
            AsciiWriter.Write(_thing, 0, thingName);
            _hmac = hmac;
        }

        /// <summary>The buffer <see cref="Encode"/> writes into; valid up to the returned length.</summary>
        public byte[] Buffer => _buffer;

        /// <summary>Writes the signed JSON of <paramref name="message"/> into <see cref="Buffer"/> and returns its length.</summary>
        public int Encode(PressMessage message)
        {
            int canonicalLength = WriteCanonical(message, _canonical);
            _hmac.ComputeHash(_canonical, canonicalLength, _mac);

            byte[] b = _buffer;
            int p = AsciiWriter.Write(b, 0, "{\"v\":1,\"thing\":\"");
            p = AsciiWriter.Write(b, p, _thing);
            p = AsciiWriter.Write(b, p, "\",\"boot\":");
            p = AsciiWriter.WriteDecimal(b, p, message.Boot);
            p = AsciiWriter.Write(b, p, ",\"seq\":");
            p = AsciiWriter.WriteDecimal(b, p, message.Seq);
            p = AsciiWriter.Write(b, p, ",\"ts\":");
            p = AsciiWriter.WriteDecimal(b, p, (ulong)message.Timestamp);
            p = AsciiWriter.Write(b, p, ",\"kind\":\"");
            p = AsciiWriter.Write(b, p, KindName(message.Kind));
            p = AsciiWriter.Write(b, p, "\",\"held\":");
            p = AsciiWriter.WriteDecimal(b, p, (ulong)message.HeldMs);
            p = AsciiWriter.Write(b, p, ",\"queued\":");
            p = AsciiWriter.WriteByte(b, p, message.Queued ? '1' : '0');
            p = AsciiWriter.Write(b, p, ",\"sig\":\"");
            p = AsciiWriter.WriteHex(b, p, _mac, MacLength);
            p = AsciiWriter.Write(b, p, "\"}");
            return p;
        }

        /// <summary>
        /// Writes the string the signature covers:
        /// <c>kb1\n{thing}\n{boot}\n{seq}\n{ts}\n{kind}\n{held}\n{queued}</c>. Returns its length.
        /// </summary>
        public int WriteCanonical(PressMessage message, byte[] destination)
        {
            if (message.Timestamp < 0 || message.HeldMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(message), "a press is signed only once its time is known");
            }

            int p = AsciiWriter.Write(destination, 0, "kb1\n");
            p = AsciiWriter.Write(destination, p, _thing);
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.WriteDecimal(destination, p, message.Boot);
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.WriteDecimal(destination, p, message.Seq);
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.WriteDecimal(destination, p, (ulong)message.Timestamp);
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.Write(destination, p, KindName(message.Kind));
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.WriteDecimal(destination, p, (ulong)message.HeldMs);
            p = AsciiWriter.WriteByte(destination, p, '\n');
            p = AsciiWriter.WriteByte(destination, p, message.Queued ? '1' : '0');
            return p;
        }

        /// <summary>The protocol's name of a press kind.</summary>
        public static string KindName(PressKind kind)
        {
            return kind == PressKind.Long ? "long" : "short";
        }
    }
}
