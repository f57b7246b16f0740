using System.Collections;

namespace KitchenButton.Device.Configuration
{
    /// <summary>
    /// Parses the device configuration file (<c>key = value</c> lines, <c>#</c> comments) written at
    /// flashing time. Every problem is reported, each with its line and key, so a maker fixes the file in
    /// one go; unknown keys are errors because a misspelt key would otherwise silently take a default.
    /// Values of secret keys never appear in a message.
    /// </summary>
    public static class DeviceConfigParser
    {
        public const string WifiSsid = "wifi.ssid";
        public const string WifiPassword = "wifi.password";
        public const string IotEndpoint = "iot.endpoint";
        public const string IotPort = "iot.port";
        public const string Thing = "thing";
        public const string Secret = "secret";
        public const string ButtonPin = "pin.button";
        public const string LedPin = "pin.led";
        public const string PixelPin = "pin.pixel";
        public const string DebounceMs = "press.debounce_ms";
        public const string LongPressMs = "press.long_ms";
        public const string StuckMs = "press.stuck_ms";
        public const string OutboxCapacity = "outbox.capacity";
        public const string StatusIntervalSeconds = "status.interval_s";
        public const string SleepAfterIdleSeconds = "sleep.idle_s";

        private const int HighestGpio = 48;

        /// <summary>
        /// AWS IoT takes MQTT on 443 only with the TLS ALPN protocol <c>x-amzn-mqtt-ca</c>, which
        /// nanoFramework's TLS cannot offer: the broker would close every connection.
        /// </summary>
        private const int AlpnOnlyPort = 443;

        /// <summary>Parses a classic ESP32's configuration (the chip the pins are checked against).</summary>
        public static DeviceConfigResult Parse(string text)
        {
            return Parse(text, Chip.Esp32);
        }

        /// <summary>Parses the configuration of a board with <paramref name="chip"/>: its pins are checked against that chip's.</summary>
        public static DeviceConfigResult Parse(string text, Chip chip)
        {
            ArrayList errors = new ArrayList();
            DeviceConfig config = new DeviceConfig();
            config.Chip = chip;
            ArrayList seen = new ArrayList();
            string[] lines = text.Split(new char[] { '\n' });
            for (int n = 0; n < lines.Length; n++)
            {
                int lineNumber = n + 1;
                string line = lines[n].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    errors.Add(new ConfigError(lineNumber, string.Empty, "expected 'key = value'"));
                    continue;
                }

                string key = line.Substring(0, equals).Trim();
                string value = line.Substring(equals + 1).Trim();
                if (seen.Contains(key))
                {
                    errors.Add(new ConfigError(lineNumber, key, "'" + key + "' is set twice"));
                    continue;
                }

                seen.Add(key);
                string? problem = Apply(config, key, value);
                if (problem != null)
                {
                    errors.Add(new ConfigError(lineNumber, key, problem));
                }
            }

            RequireKey(seen, errors, WifiSsid);
            RequireKey(seen, errors, IotEndpoint);
            RequireKey(seen, errors, Thing);
            RequireKey(seen, errors, Secret);
            if (errors.Count == 0)
            {
                CheckCombination(config, errors);
            }

            return new DeviceConfigResult(errors.Count == 0 ? config : null, errors);
        }

        private static void RequireKey(ArrayList seen, ArrayList errors, string key)
        {
            if (!seen.Contains(key))
            {
                errors.Add(new ConfigError(0, key, "missing required key '" + key + "'"));
            }
        }

        private static void CheckCombination(DeviceConfig config, ArrayList errors)
        {
            if (config.LongPressMs <= config.DebounceMs)
            {
                errors.Add(new ConfigError(0, LongPressMs, "'" + LongPressMs + "' must be greater than '" + DebounceMs + "'"));
            }

            if (config.StuckMs <= config.LongPressMs)
            {
                errors.Add(new ConfigError(0, StuckMs, "'" + StuckMs + "' must be greater than '" + LongPressMs + "'"));
            }

            if (config.ButtonPin == config.LedPin || config.ButtonPin == config.PixelPin)
            {
                errors.Add(new ConfigError(0, ButtonPin, "'" + ButtonPin + "' must not share a GPIO with the LED"));
            }

            AddPinProblem(errors, ButtonPin, ChipPins.ProblemAsButton(config.Chip, config.ButtonPin));
            AddPinProblem(errors, LedPin, ChipPins.ProblemAsOutput(config.Chip, config.LedPin));
            if (config.PixelPin != DeviceConfig.NoPin)
            {
                AddPinProblem(errors, PixelPin, ChipPins.ProblemAsOutput(config.Chip, config.PixelPin));
            }

            if (config.SleepAfterIdleSeconds > 0 && !ChipPins.CanWakeFromDeepSleep(config.Chip, config.ButtonPin))
            {
                errors.Add(new ConfigError(0, ButtonPin, "'" + ButtonPin + "' GPIO " + config.ButtonPin.ToString()
                    + " cannot wake the chip from deep sleep ('" + SleepAfterIdleSeconds + "' is on): use an RTC GPIO (" + ChipPins.WakePins(config.Chip) + ")"));
            }
        }

        private static void AddPinProblem(ArrayList errors, string key, string? problem)
        {
            if (problem != null)
            {
                errors.Add(new ConfigError(0, key, "'" + key + "': " + problem));
            }
        }

        /// <summary>Applies one key; returns a problem description or null.</summary>
        private static string? Apply(DeviceConfig config, string key, string value)
        {
            switch (key)
            {
                case WifiSsid:
                    if (value.Length < 1 || value.Length > 32)
                    {
                        return "'" + key + "' must be 1 to 32 characters";
                    }

                    config.WifiSsid = value;
                    return null;
                case WifiPassword:
                    if (value.Length != 0 && (value.Length < 8 || value.Length > 63))
                    {
                        return "'" + key + "' must be empty (open network) or 8 to 63 characters";
                    }

                    config.WifiPassword = value;
                    return null;
                case IotEndpoint:
                    if (!IsHostName(value))
                    {
                        return "'" + key + "' must be a host name such as xxxxxxxx-ats.iot.eu-west-1.amazonaws.com";
                    }

                    config.IotEndpoint = value;
                    return null;
                case IotPort:
                    if (!TryParseRange(value, 1, 65535, out int port))
                    {
                        return RangeProblem(key, 1, 65535);
                    }

                    if (port == AlpnOnlyPort)
                    {
                        return "'" + key + "' 443 needs the TLS ALPN protocol x-amzn-mqtt-ca, which nanoFramework does not offer: use 8883";
                    }

                    config.MqttPort = port;
                    return null;
                case Thing:
                    if (!Protocol.ThingName.IsValid(value))
                    {
                        return "'" + key + "' must match [A-Za-z0-9_-]{1,64}";
                    }

                    config.ThingName = value;
                    return null;
                case Secret:
                    byte[]? secret = ParseHex(value);
                    if (secret == null || secret.Length != 32)
                    {
                        return "'" + key + "' must be 64 hexadecimal characters (32 bytes)";
                    }

                    config.Secret = secret;
                    return null;
                case ButtonPin:
                    if (!TryParseRange(value, 0, HighestGpio, out int button))
                    {
                        return RangeProblem(key, 0, HighestGpio);
                    }

                    config.ButtonPin = button;
                    return null;
                case LedPin:
                    if (!TryParseRange(value, 0, HighestGpio, out int led))
                    {
                        return RangeProblem(key, 0, HighestGpio);
                    }

                    config.LedPin = led;
                    return null;
                case PixelPin:
                    if (!TryParseRange(value, 0, HighestGpio, out int pixel))
                    {
                        return RangeProblem(key, 0, HighestGpio);
                    }

                    config.PixelPin = pixel;
                    return null;
                case DebounceMs:
                    if (!TryParseRange(value, 0, 500, out int debounce))
                    {
                        return RangeProblem(key, 0, 500);
                    }

                    config.DebounceMs = debounce;
                    return null;
                case LongPressMs:
                    if (!TryParseRange(value, 100, 10000, out int longMs))
                    {
                        return RangeProblem(key, 100, 10000);
                    }

                    config.LongPressMs = longMs;
                    return null;
                case StuckMs:
                    if (!TryParseRange(value, 1000, 600000, out int stuck))
                    {
                        return RangeProblem(key, 1000, 600000);
                    }

                    config.StuckMs = stuck;
                    return null;
                case OutboxCapacity:
                    if (!TryParseRange(value, 1, 256, out int capacity))
                    {
                        return RangeProblem(key, 1, 256);
                    }

                    config.OutboxCapacity = capacity;
                    return null;
                case StatusIntervalSeconds:
                    if (!TryParseRange(value, 60, 86400, out int interval))
                    {
                        return RangeProblem(key, 60, 86400);
                    }

                    config.StatusIntervalSeconds = interval;
                    return null;
                case SleepAfterIdleSeconds:
                    if (!TryParseRange(value, 0, 86400, out int idle))
                    {
                        return RangeProblem(key, 0, 86400);
                    }

                    config.SleepAfterIdleSeconds = idle;
                    return null;
                default:
                    return "unknown key '" + key + "'";
            }
        }

        private static bool TryParseRange(string value, int min, int max, out int result)
        {
            return TryParseInt(value, out result) && result >= min && result <= max;
        }

        private static string RangeProblem(string key, int min, int max)
        {
            return "'" + key + "' must be a whole number from " + min.ToString() + " to " + max.ToString();
        }

        /// <summary>Strict decimal: digits only, no sign, no spaces, at most 9 digits.</summary>
        internal static bool TryParseInt(string value, out int result)
        {
            result = 0;
            if (value.Length == 0 || value.Length > 9)
            {
                return false;
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                result = (result * 10) + (c - '0');
            }

            return true;
        }

        /// <summary>Decodes hex (either case); null when the text is not whole bytes of hex.</summary>
        public static byte[]? ParseHex(string value)
        {
            if (value.Length == 0 || (value.Length & 1) != 0)
            {
                return null;
            }

            byte[] bytes = new byte[value.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int hi = HexValue(value[2 * i]);
                int lo = HexValue(value[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    return null;
                }

                bytes[i] = (byte)((hi << 4) | lo);
            }

            return bytes;
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        private static bool IsHostName(string value)
        {
            if (value.Length < 3 || value.Length > 253 || value[0] == '.' || value[0] == '-' || value[value.Length - 1] == '.')
            {
                return false;
            }

            bool hasDot = false;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '.')
                {
                    if (value[i - 1] == '.')
                    {
                        return false;
                    }

                    hasDot = true;
                    continue;
                }

                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return hasDot;
        }
    }
}
