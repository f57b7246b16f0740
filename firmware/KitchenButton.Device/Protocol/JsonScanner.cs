namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// A forward-only reader over UTF-8 JSON bytes, just enough to read the gateway's small messages on a
    /// chip without a JSON library. Every method returns false on malformed input instead of throwing,
    /// and never allocates.
    /// </summary>
    internal sealed class JsonScanner
    {
        private const int MaxDepth = 16;

        private byte[] _data = new byte[0];
        private int _end;

        public int Position { get; private set; }

        /// <summary>Start of the last string read by <see cref="TryReadString"/> (inside the quotes).</summary>
        public int StringStart { get; private set; }

        /// <summary>Length of the last string read, in raw bytes.</summary>
        public int StringLength { get; private set; }

        /// <summary>True when the last string read contained escape sequences.</summary>
        public bool StringHasEscapes { get; private set; }

        public void Reset(byte[] data, int count)
        {
            _data = data;
            _end = count;
            Position = 0;
        }

        public bool AtEnd
        {
            get
            {
                SkipWhitespace();
                return Position >= _end;
            }
        }

        public bool TryConsume(char c)
        {
            SkipWhitespace();
            if (Position < _end && _data[Position] == (byte)c)
            {
                Position++;
                return true;
            }

            return false;
        }

        public bool Peek(char c)
        {
            SkipWhitespace();
            return Position < _end && _data[Position] == (byte)c;
        }

        /// <summary>Reads a string token; its raw bytes are at <see cref="StringStart"/>.</summary>
        public bool TryReadString()
        {
            if (!TryConsume('"'))
            {
                return false;
            }

            StringStart = Position;
            StringHasEscapes = false;
            while (Position < _end)
            {
                byte b = _data[Position];
                if (b == (byte)'"')
                {
                    StringLength = Position - StringStart;
                    Position++;
                    return true;
                }

                if (b < 0x20)
                {
                    return false;
                }

                if (b == (byte)'\\')
                {
                    StringHasEscapes = true;
                    if (!SkipEscape())
                    {
                        return false;
                    }

                    continue;
                }

                Position++;
            }

            return false;
        }

        /// <summary>True when the last string read is exactly <paramref name="ascii"/> (no escapes).</summary>
        public bool StringEquals(string ascii)
        {
            if (StringHasEscapes || StringLength != ascii.Length)
            {
                return false;
            }

            for (int i = 0; i < StringLength; i++)
            {
                if (_data[StringStart + i] != (byte)ascii[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Reads a JSON number that must be a non-negative integer no larger than <paramref name="max"/>.</summary>
        public bool TryReadUnsigned(ulong max, out ulong value)
        {
            value = 0;
            SkipWhitespace();
            int start = Position;
            while (Position < _end)
            {
                byte b = _data[Position];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    break;
                }

                ulong digit = (ulong)(b - (byte)'0');
                if (value > (max - digit) / 10)
                {
                    return false;
                }

                value = (value * 10) + digit;
                Position++;
            }

            int digits = Position - start;
            if (digits == 0 || (digits > 1 && _data[start] == (byte)'0'))
            {
                return false;
            }

            // A fraction or exponent makes it a non-integer, which these fields never are.
            return Position >= _end || (_data[Position] != (byte)'.' && _data[Position] != (byte)'e' && _data[Position] != (byte)'E');
        }

        /// <summary>Skips any JSON value, nested up to a fixed depth.</summary>
        public bool TrySkipValue()
        {
            return SkipValue(0);
        }

        private bool SkipValue(int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            SkipWhitespace();
            if (Position >= _end)
            {
                return false;
            }

            byte b = _data[Position];
            if (b == (byte)'"')
            {
                return TryReadString();
            }

            if (b == (byte)'{')
            {
                Position++;
                if (TryConsume('}'))
                {
                    return true;
                }

                do
                {
                    if (!TryReadString() || !TryConsume(':') || !SkipValue(depth + 1))
                    {
                        return false;
                    }
                }
                while (TryConsume(','));
                return TryConsume('}');
            }

            if (b == (byte)'[')
            {
                Position++;
                if (TryConsume(']'))
                {
                    return true;
                }

                do
                {
                    if (!SkipValue(depth + 1))
                    {
                        return false;
                    }
                }
                while (TryConsume(','));
                return TryConsume(']');
            }

            if (b == (byte)'t')
            {
                return SkipLiteral("true");
            }

            if (b == (byte)'f')
            {
                return SkipLiteral("false");
            }

            if (b == (byte)'n')
            {
                return SkipLiteral("null");
            }

            return SkipNumber();
        }

        private bool SkipLiteral(string literal)
        {
            if (_end - Position < literal.Length)
            {
                return false;
            }

            for (int i = 0; i < literal.Length; i++)
            {
                if (_data[Position + i] != (byte)literal[i])
                {
                    return false;
                }
            }

            Position += literal.Length;
            return true;
        }

        private bool SkipNumber()
        {
            if (Position < _end && _data[Position] == (byte)'-')
            {
                Position++;
            }

            if (SkipDigits() == 0)
            {
                return false;
            }

            if (Position < _end && _data[Position] == (byte)'.')
            {
                Position++;
                if (SkipDigits() == 0)
                {
                    return false;
                }
            }

            if (Position < _end && (_data[Position] == (byte)'e' || _data[Position] == (byte)'E'))
            {
                Position++;
                if (Position < _end && (_data[Position] == (byte)'+' || _data[Position] == (byte)'-'))
                {
                    Position++;
                }

                if (SkipDigits() == 0)
                {
                    return false;
                }
            }

            return true;
        }

        private int SkipDigits()
        {
            int start = Position;
            while (Position < _end && _data[Position] >= (byte)'0' && _data[Position] <= (byte)'9')
            {
                Position++;
            }

            return Position - start;
        }

        private bool SkipEscape()
        {
            // Position is at the backslash.
            Position++;
            if (Position >= _end)
            {
                return false;
            }

            byte e = _data[Position++];
            if (e == (byte)'u')
            {
                if (_end - Position < 4)
                {
                    return false;
                }

                for (int i = 0; i < 4; i++)
                {
                    if (!IsHex(_data[Position++]))
                    {
                        return false;
                    }
                }

                return true;
            }

            return e == (byte)'"' || e == (byte)'\\' || e == (byte)'/' || e == (byte)'b' || e == (byte)'f'
                || e == (byte)'n' || e == (byte)'r' || e == (byte)'t';
        }

        private static bool IsHex(byte b)
        {
            return (b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'a' && b <= (byte)'f') || (b >= (byte)'A' && b <= (byte)'F');
        }

        private void SkipWhitespace()
        {
            while (Position < _end)
            {
                byte b = _data[Position];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
                {
                    return;
                }

                Position++;
            }
        }
    }
}
