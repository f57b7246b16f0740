namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// Parses the gateway's state message:
    /// <c>{"pending":n,"last":{"seq":..,"boot":..,"result":"..","order":".."}}</c>.
    /// Unknown fields are skipped; anything malformed is refused with false, never an exception.
    /// </summary>
    public sealed class StateMessageParser
    {
        /// <summary>State messages larger than this are refused unread.</summary>
        public const int MaxMessageBytes = 1024;

        private readonly JsonScanner _scanner = new JsonScanner();

        public bool TryParse(byte[] data, int count, StateMessage result)
        {
            result.Reset();
            if (data == null || count <= 0 || count > MaxMessageBytes || count > data.Length)
            {
                return false;
            }

            JsonScanner s = _scanner;
            s.Reset(data, count);
            if (!s.TryConsume('{'))
            {
                return false;
            }

            bool hasPending = false;
            if (!s.TryConsume('}'))
            {
                do
                {
                    if (!s.TryReadString() || !s.TryConsume(':'))
                    {
                        return false;
                    }

                    if (s.StringEquals("pending"))
                    {
                        if (!s.TryReadUnsigned(int.MaxValue, out ulong pending))
                        {
                            return false;
                        }

                        result.Pending = (int)pending;
                        hasPending = true;
                    }
                    else if (s.StringEquals("last"))
                    {
                        if (s.Peek('n'))
                        {
                            // "last": null - the station's state without a press result.
                            if (!s.TrySkipValue())
                            {
                                return false;
                            }
                        }
                        else if (!TryParseLast(s, result))
                        {
                            return false;
                        }
                    }
                    else if (!s.TrySkipValue())
                    {
                        return false;
                    }
                }
                while (s.TryConsume(','));

                if (!s.TryConsume('}'))
                {
                    return false;
                }
            }

            return hasPending && s.AtEnd;
        }

        private static bool TryParseLast(JsonScanner s, StateMessage result)
        {
            if (!s.TryConsume('{'))
            {
                return false;
            }

            bool hasSeq = false;
            bool hasBoot = false;
            bool hasResult = false;
            if (!s.TryConsume('}'))
            {
                do
                {
                    if (!s.TryReadString() || !s.TryConsume(':'))
                    {
                        return false;
                    }

                    if (s.StringEquals("seq"))
                    {
                        if (!s.TryReadUnsigned(uint.MaxValue, out ulong seq))
                        {
                            return false;
                        }

                        result.LastSeq = (uint)seq;
                        hasSeq = true;
                    }
                    else if (s.StringEquals("boot"))
                    {
                        if (!s.TryReadUnsigned(uint.MaxValue, out ulong boot))
                        {
                            return false;
                        }

                        result.LastBoot = (uint)boot;
                        hasBoot = true;
                    }
                    else if (s.StringEquals("result"))
                    {
                        if (!s.TryReadString())
                        {
                            return false;
                        }

                        result.LastResult = ResultOf(s);
                        hasResult = true;
                    }
                    else if (!s.TrySkipValue())
                    {
                        return false;
                    }
                }
                while (s.TryConsume(','));

                if (!s.TryConsume('}'))
                {
                    return false;
                }
            }

            result.HasLast = hasSeq && hasBoot && hasResult;
            return result.HasLast;
        }

        private static PressResult ResultOf(JsonScanner s)
        {
            if (s.StringEquals("resumed"))
            {
                return PressResult.Resumed;
            }

            if (s.StringEquals("problem-reported"))
            {
                return PressResult.ProblemReported;
            }

            if (s.StringEquals("no-pending"))
            {
                return PressResult.NoPending;
            }

            if (s.StringEquals("rejected"))
            {
                return PressResult.Rejected;
            }

            if (s.StringEquals("duplicate"))
            {
                return PressResult.Duplicate;
            }

            return PressResult.Unknown;
        }
    }
}
