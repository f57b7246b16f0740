namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// Writes ASCII text and decimal numbers straight into a byte buffer. The chip has no
    /// System.Text, and writing in place keeps the press path free of string allocations.
    /// Every method returns the position after what it wrote.
    /// </summary>
    public static class AsciiWriter
    {
        private const string HexDigits = "0123456789abcdef";

        public static int Write(byte[] buffer, int position, string ascii)
        {
            for (int i = 0; i < ascii.Length; i++)
            {
                buffer[position++] = (byte)ascii[i];
            }

            return position;
        }

        public static int Write(byte[] buffer, int position, byte[] ascii)
        {
            for (int i = 0; i < ascii.Length; i++)
            {
                buffer[position++] = ascii[i];
            }

            return position;
        }

        public static int WriteByte(byte[] buffer, int position, char c)
        {
            buffer[position] = (byte)c;
            return position + 1;
        }

        /// <summary>Writes a non-negative integer in decimal, without leading zeros.</summary>
        public static int WriteDecimal(byte[] buffer, int position, ulong value)
        {
            int digits = 1;
            for (ulong rest = value / 10; rest != 0; rest /= 10)
            {
                digits++;
            }

            int end = position + digits;
            for (int i = end - 1; i >= position; i--)
            {
                buffer[i] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }

            return end;
        }

        /// <summary>Writes <paramref name="count"/> bytes of <paramref name="data"/> as lowercase hex.</summary>
        public static int WriteHex(byte[] buffer, int position, byte[] data, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[position++] = (byte)HexDigits[data[i] >> 4];
                buffer[position++] = (byte)HexDigits[data[i] & 0x0F];
            }

            return position;
        }
    }
}
