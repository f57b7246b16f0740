using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Device.Configuration;
using Xunit;

namespace KitchenButton.Device.Tests.Configuration;

public sealed class DeviceConfigParserTests
{
    private const string SecretHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private const string Minimal =
        "# KitchenButton device configuration\n" +
        "wifi.ssid = Kitchen WiFi\n" +
        "wifi.password = correct horse battery\n" +
        "iot.endpoint = a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com\n" +
        "thing = pizza-oven-1\n" +
        "secret = " + SecretHex + "\n";

    [Fact]
    public void A_minimal_file_gets_every_default()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal);
        Assert.True(result.IsValid, Describe(result));
        DeviceConfig c = result.Config!;
        Assert.Equal("Kitchen WiFi", c.WifiSsid);
        Assert.Equal("correct horse battery", c.WifiPassword);
        Assert.Equal("a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com", c.IotEndpoint);
        Assert.Equal("pizza-oven-1", c.ThingName);
        Assert.Equal(32, c.Secret.Length);
        Assert.Equal(0x1f, c.Secret[31]);
        Assert.Equal(8883, c.MqttPort);
        Assert.Equal(4, c.ButtonPin);
        Assert.Equal(2, c.LedPin);
        Assert.Equal(-1, c.PixelPin);
        Assert.Equal(30, c.DebounceMs);
        Assert.Equal(1500, c.LongPressMs);
        Assert.Equal(30000, c.StuckMs);
        Assert.Equal(32, c.OutboxCapacity);
        Assert.Equal(900, c.StatusIntervalSeconds);
        Assert.Equal(0, c.SleepAfterIdleSeconds);
    }

    [Fact]
    public void Every_optional_key_is_read()
    {
        string text = Minimal.Replace("\n", "\r\n") +
            "iot.port = 8884\npin.button = 27\npin.led = 5\npin.pixel = 18\npress.debounce_ms = 40\n" +
            "press.long_ms = 2000\npress.stuck_ms = 45000\noutbox.capacity = 8\nstatus.interval_s = 300\nsleep.idle_s = 600\n";
        DeviceConfig c = DeviceConfigParser.Parse(text).Config!;
        Assert.Equal(8884, c.MqttPort);
        Assert.Equal(27, c.ButtonPin);
        Assert.Equal(5, c.LedPin);
        Assert.Equal(18, c.PixelPin);
        Assert.Equal(40, c.DebounceMs);
        Assert.Equal(2000, c.LongPressMs);
        Assert.Equal(45000, c.StuckMs);
        Assert.Equal(8, c.OutboxCapacity);
        Assert.Equal(300, c.StatusIntervalSeconds);
        Assert.Equal(600, c.SleepAfterIdleSeconds);
        Assert.Equal("correct horse battery", c.WifiPassword);
    }

    [Fact]
    public void Every_missing_required_key_is_named()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse("# empty\n");
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Equal(
            new[] { "missing required key 'wifi.ssid'", "missing required key 'iot.endpoint'", "missing required key 'thing'", "missing required key 'secret'" },
            Messages(result));
    }

    [Theory]
    [InlineData("secret = 0011", "secret", "'secret' must be 64 hexadecimal characters (32 bytes)")]
    [InlineData("secret = zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "secret", "'secret' must be 64 hexadecimal characters (32 bytes)")]
    [InlineData("thing = pizza/oven", "thing", "'thing' must match [A-Za-z0-9_-]{1,64}")]
    [InlineData("iot.endpoint = https://x.example.com", "iot.endpoint", "'iot.endpoint' must be a host name such as xxxxxxxx-ats.iot.eu-west-1.amazonaws.com")]
    [InlineData("wifi.password = short", "wifi.password", "'wifi.password' must be empty (open network) or 8 to 63 characters")]
    [InlineData("pin.button = 99", "pin.button", "'pin.button' must be a whole number from 0 to 48")]
    [InlineData("pin.button = -1", "pin.button", "'pin.button' must be a whole number from 0 to 48")]
    [InlineData("press.long_ms = 1.5", "press.long_ms", "'press.long_ms' must be a whole number from 100 to 10000")]
    [InlineData("outbox.capacity = 0", "outbox.capacity", "'outbox.capacity' must be a whole number from 1 to 256")]
    [InlineData("iot.port = 443", "iot.port", "'iot.port' 443 needs the TLS ALPN protocol x-amzn-mqtt-ca, which nanoFramework does not offer: use 8883")]
    [InlineData("wifi.sid = typo", "wifi.sid", "unknown key 'wifi.sid'")]
    [InlineData("just some words", "", "expected 'key = value'")]
    public void An_invalid_line_is_reported_with_its_line_and_key(string line, string key, string message)
    {
        string baseText = WithoutKey(Minimal, key);
        int lineNumber = baseText.Split('\n').Length;
        DeviceConfigResult result = DeviceConfigParser.Parse(baseText + line + "\n");
        Assert.False(result.IsValid);
        Assert.Equal(1, result.ErrorCount);
        ConfigError error = result.GetError(0);
        Assert.Equal(lineNumber, error.Line);
        Assert.Equal(key, error.Key);
        Assert.Equal(message, error.Message);
        Assert.Equal("line " + lineNumber + ": " + message, error.ToString());
    }

    [Fact]
    public void A_key_set_twice_is_an_error()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal + "thing = other\n");
        Assert.Equal("'thing' is set twice", FindLast(result).Message);
    }

    [Fact]
    public void Thresholds_and_pins_must_agree_with_each_other()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal + "press.long_ms = 2000\npress.stuck_ms = 1500\npin.button = 2\n");
        Assert.Equal(new[] { "'press.stuck_ms' must be greater than 'press.long_ms'", "'pin.button' must not share a GPIO with the LED" }, Messages(result));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(18, false)]
    [InlineData(21, false)]
    [InlineData(4, true)]
    [InlineData(27, true)]
    [InlineData(33, true)]
    public void With_deep_sleep_on_only_an_RTC_GPIO_may_be_the_button(int pin, bool accepted)
    {
        DeviceConfigResult sleeping = DeviceConfigParser.Parse(Minimal + "sleep.idle_s = 600\npin.button = " + pin + "\n");
        Assert.Equal(accepted, sleeping.IsValid);
        if (!accepted)
        {
            Assert.Equal(new[] { "'pin.button' GPIO " + pin + " cannot wake the chip from deep sleep ('sleep.idle_s' is on): use an RTC GPIO (0, 2, 4, 12-15, 25-27, 32, 33)" }, Messages(sleeping));
        }

        // Without deep sleep any GPIO that can read a button can be the button.
        Assert.True(DeviceConfigParser.Parse(Minimal + "pin.button = " + pin + "\n").IsValid);
    }

    [Theory]
    [InlineData(Chip.Esp32, "pin.button", 34, "'pin.button': GPIO 34 has no internal pull-up on the ESP32 (34-39 are input-only without one): the button would float")]
    [InlineData(Chip.Esp32, "pin.button", 39, "'pin.button': GPIO 39 has no internal pull-up on the ESP32 (34-39 are input-only without one): the button would float")]
    [InlineData(Chip.Esp32, "pin.button", 6, "'pin.button': GPIO 6 is wired to the SPI flash on ESP32 modules (6-11)")]
    [InlineData(Chip.Esp32, "pin.led", 11, "'pin.led': GPIO 11 is wired to the SPI flash on ESP32 modules (6-11)")]
    [InlineData(Chip.Esp32, "pin.led", 35, "'pin.led': GPIO 35 is input-only on the ESP32 (34-39): it cannot drive the LED")]
    [InlineData(Chip.Esp32, "pin.button", 16, "'pin.button': GPIO 16 is wired to the PSRAM on ESP32-WROVER modules (16-17)")]
    [InlineData(Chip.Esp32, "pin.button", 20, "'pin.button': GPIO 20 does not exist on the ESP32")]
    [InlineData(Chip.Esp32, "pin.led", 40, "'pin.led': GPIO 40 does not exist on the ESP32")]
    [InlineData(Chip.Esp32, "pin.button", 3, "'pin.button': GPIO 3 is the serial port the firmware is flashed and logs through (TX 1, RX 3)")]
    [InlineData(Chip.Esp32S3, "pin.button", 26, "'pin.button': GPIO 26 is wired to the SPI flash and PSRAM on ESP32-S3 modules (26-32)")]
    [InlineData(Chip.Esp32S3, "pin.button", 23, "'pin.button': GPIO 23 does not exist on the ESP32-S3")]
    [InlineData(Chip.Esp32S3Octal, "pin.led", 35, "'pin.led': GPIO 35 is wired to the octal PSRAM on ESP32-S3 N8R8 modules (33-37)")]
    [InlineData(Chip.Esp32S3, "pin.button", 19, "'pin.button': GPIO 19 is the ESP32-S3's USB (D- 19, D+ 20)")]
    [InlineData(Chip.Esp32S3, "pin.led", 43, "'pin.led': GPIO 43 is the serial port the firmware is flashed and logs through (TX 43, RX 44)")]
    public void A_pin_that_cannot_work_on_the_chip_is_refused_naming_the_pin(Chip chip, string key, int pin, string message)
    {
        // The other pin moved off the defaults where they would collide.
        string other = key == "pin.button" ? "pin.led = 5\n" : "pin.button = 4\n";
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal + key + " = " + pin + "\n" + other, chip);
        Assert.False(result.IsValid);
        Assert.Equal(new[] { message }, Messages(result));
    }

    [Theory]
    [InlineData(Chip.Esp32S3, 35)]
    [InlineData(Chip.Esp32S3, 38)]
    [InlineData(Chip.Esp32S3, 48)]
    [InlineData(Chip.Esp32, 33)]
    [InlineData(Chip.Esp32, 25)]
    public void A_pin_that_works_on_the_chip_is_taken(Chip chip, int pin)
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal + "pin.button = " + pin + "\npin.led = 2\n", chip);
        Assert.True(result.IsValid, Describe(result));
        Assert.Equal(chip, result.Config!.Chip);
    }

    [Theory]
    [InlineData(Chip.Esp32S3, 21, true)]
    [InlineData(Chip.Esp32S3, 38, false)]
    [InlineData(Chip.Esp32, 38, false)]
    [InlineData(Chip.Esp32, 33, true)]
    public void Deep_sleep_wakes_only_on_the_chips_own_RTC_GPIOs(Chip chip, int pin, bool accepted)
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal + "sleep.idle_s = 600\npin.button = " + pin + "\n", chip);
        Assert.Equal(accepted, result.IsValid);
    }

    [Theory]
    [InlineData("ESP32_PSRAM_REV0", Chip.Esp32)]
    [InlineData("ESP32_REV3", Chip.Esp32)]
    [InlineData("ESP_WROVER_KIT", Chip.Esp32)]
    [InlineData("ESP32_S3_OCTAL", Chip.Esp32S3Octal)]
    [InlineData("ESP32_S3_QUAD", Chip.Esp32S3)]
    [InlineData("ESP32_C3", Chip.Unsupported)]
    [InlineData("ESP32_S2", Chip.Unsupported)]
    [InlineData("ST_NUCLEO144_F746ZG", Chip.Unsupported)]
    public void The_chip_comes_from_the_nanoframework_target(string target, Chip chip)
    {
        Assert.Equal(chip, ChipPins.FromTarget(target));
    }

    [Fact]
    public void An_unsupported_chip_is_a_configuration_fault_not_a_guess()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Minimal, Chip.Unsupported);
        Assert.False(result.IsValid);
        Assert.Contains("'pin.button': this firmware runs on the classic ESP32 and the ESP32-S3 only", Messages(result));
    }

    [Fact]
    public void Secret_values_never_appear_in_errors()
    {
        const string badSecret = "secret = 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeXX";
        const string badPassword = "wifi.password = toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong!!";
        string text = Minimal.Replace("secret = " + SecretHex + "\n", badSecret + "\n").Replace("wifi.password = correct horse battery\n", badPassword + "\n");
        DeviceConfigResult result = DeviceConfigParser.Parse(text);
        Assert.Equal(2, result.ErrorCount);
        foreach (string m in Messages(result))
        {
            Assert.DoesNotContain("00112233", m);
            Assert.DoesNotContain("toolong", m);
        }
    }

    [Fact]
    public void An_open_network_has_an_empty_password()
    {
        DeviceConfig c = DeviceConfigParser.Parse(Minimal.Replace("wifi.password = correct horse battery\n", "wifi.password =\n")).Config!;
        Assert.Equal(string.Empty, c.WifiPassword);
    }

    private static List<string> Messages(DeviceConfigResult result)
    {
        var list = new List<string>();
        for (int i = 0; i < result.ErrorCount; i++)
        {
            list.Add(result.GetError(i).Message);
        }

        return list;
    }

    /// <summary>Every key set, each to a valid value (what the properties below start from).</summary>
    private const string Full = Minimal +
        "iot.port = 8883\n" +
        "pin.button = 4\n" +
        "pin.led = 2\n" +
        "pin.pixel = 5\n" +
        "press.debounce_ms = 30\n" +
        "press.long_ms = 1500\n" +
        "press.stuck_ms = 30000\n" +
        "outbox.capacity = 32\n" +
        "status.interval_s = 900\n" +
        "sleep.idle_s = 0\n";

    /// <summary>A value a maker could type, or a file damaged in flashing could hold.</summary>
    private static readonly Gen<string> AnyValue = Gen.OneOf(
        Gen.Elements("", "-1", "0", "2147483648", "99999999999999999999", "1.5", "0x10", " 4 ", "=", "==", "#", "\r", "\t", "\u00a0", "\u0000", new string('9', 400)),
        Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(chars => new string(chars)));

    [Fact]
    public void The_file_the_properties_start_from_is_valid()
    {
        DeviceConfigResult result = DeviceConfigParser.Parse(Full);
        Assert.True(result.IsValid, Describe(result));
        Assert.Equal(5, result.Config!.PixelPin);
    }

    /// <summary>
    /// One line of a valid file changed (its value replaced by anything, the line dropped, doubled,
    /// or a line of anything put before it): the parser returns a config or names each problem,
    /// never throws, so a board never crashes at boot on its own file.
    /// </summary>
    [Property(MaxTest = 1000)]
    public Property Any_one_line_changed_parses_or_names_its_problems_never_throws()
    {
        string[] lines = Full.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Gen<string> changed =
            from index in Gen.Choose(0, lines.Length - 1)
            from kind in Gen.Choose(0, 3)
            from value in AnyValue
            select string.Join("\n", lines.SelectMany((line, i) => i != index ? new[] { line } : kind switch
            {
                0 => new[] { line[..(line.IndexOf('=') + 1)] + " " + value },
                1 => System.Array.Empty<string>(),
                2 => new[] { line, line },
                _ => new[] { value, line },
            }));
        return Prop.ForAll(changed.ToArbitrary(), text =>
        {
            DeviceConfigResult result = DeviceConfigParser.Parse(text);
            return result.IsValid != (result.ErrorCount > 0);
        });
    }

    /// <summary>The Wi-Fi password and the device secret never reach a message, whatever they hold.</summary>
    [Property(MaxTest = 500)]
    public Property A_secret_value_never_appears_in_a_message()
    {
        // Marked with a character no message has, so a message holding the value cannot be chance.
        Gen<string> secret = AnyValue.Select(v => "\u00a7" + v.Replace("\n", string.Empty, System.StringComparison.Ordinal).Trim() + "\u00a7");
        return Prop.ForAll(secret.ToArbitrary(), secret.ToArbitrary(), (password, key) =>
        {
            string text = Full.Replace("correct horse battery", password, System.StringComparison.Ordinal).Replace(SecretHex, key, System.StringComparison.Ordinal)
                + "wifi.password = " + password + "\nsecret = " + key + "\n";
            DeviceConfigResult result = DeviceConfigParser.Parse(text);
            return result.ErrorCount > 0 && Messages(result).All(m => !m.Contains(password, System.StringComparison.Ordinal) && !m.Contains(key, System.StringComparison.Ordinal));
        });
    }

    private static string WithoutKey(string text, string key)
    {
        var kept = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > 0 && !line.StartsWith(key + " ", System.StringComparison.Ordinal))
            {
                kept.Add(line);
            }
        }

        return string.Join("\n", kept) + "\n";
    }

    private static ConfigError FindLast(DeviceConfigResult result) => result.GetError(result.ErrorCount - 1);

    private static string Describe(DeviceConfigResult result) => string.Join("; ", Messages(result));
}
