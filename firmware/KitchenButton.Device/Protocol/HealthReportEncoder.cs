using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// Builds the health report (docs/protocol.md, status message) into a preallocated buffer:
    /// <c>{"v":1,"fw":"..","boot":..,"uptime":..,"freeMem":..,"rssi":..,"queued":..,"lastError":".."}</c>.
    /// Text fields are cut to the protocol's limits and reduced to printable ASCII, so the report is
    /// always valid JSON whatever an error message contained.
    /// </summary>
    public sealed class HealthReportEncoder
    {
        public const int MaxFirmwareLength = 32;
        public const int MaxLastErrorLength = 128;

        // Every field at its longest, each text character escaped: well under this.
        private readonly byte[] _buffer = new byte[512];

        public byte[] Buffer => _buffer;

        public int Encode(string firmware, uint boot, long uptimeSeconds, int queued, DeviceHealth health)
        {
            byte[] b = _buffer;
            int p = AsciiWriter.Write(b, 0, "{\"v\":1,\"fw\":\"");
            p = WriteText(b, p, firmware, MaxFirmwareLength);
            p = AsciiWriter.Write(b, p, "\",\"boot\":");
            p = AsciiWriter.WriteDecimal(b, p, boot);
            p = AsciiWriter.Write(b, p, ",\"uptime\":");
            p = AsciiWriter.WriteDecimal(b, p, uptimeSeconds < 0 ? 0 : (ulong)uptimeSeconds);
            p = AsciiWriter.Write(b, p, ",\"freeMem\":");
            p = AsciiWriter.WriteDecimal(b, p, health.FreeMemoryBytes);
            p = AsciiWriter.Write(b, p, ",\"rssi\":");
            int rssi = health.WifiRssi;
            if (rssi > 0)
            {
                rssi = 0;
            }
            else if (rssi < -127)
            {
                rssi = -127;
            }

            if (rssi < 0)
            {
                p = AsciiWriter.WriteByte(b, p, '-');
            }

            p = AsciiWriter.WriteDecimal(b, p, (ulong)(-rssi));
            p = AsciiWriter.Write(b, p, ",\"queued\":");
            p = AsciiWriter.WriteDecimal(b, p, queued < 0 ? 0UL : (ulong)queued);
            p = AsciiWriter.Write(b, p, ",\"lastError\":\"");
            p = WriteText(b, p, health.LastError, MaxLastErrorLength);
            p = AsciiWriter.Write(b, p, "\"}");
            return p;
        }

        private static int WriteText(byte[] b, int p, string? text, int maxLength)
        {
            if (text == null)
            {
                return p;
            }

            int length = text.Length < maxLength ? text.Length : maxLength;
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    b[p++] = (byte)'\\';
                    b[p++] = (byte)c;
                }
                else
                {
                    b[p++] = c >= ' ' && c < (char)0x7F ? (byte)c : (byte)'?';
                }
            }

            return p;
        }
    }
}
