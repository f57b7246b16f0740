namespace KitchenButton.Device.Configuration
{
    /// <summary>
    /// Which GPIOs can be the button (an input with the internal pull-up), the LED (an output) and the
    /// deep-sleep wake-up on each chip, from Espressif's datasheets: pins that do not exist, that the
    /// SPI flash or the PSRAM use, that carry the serial console or USB, the classic ESP32's input-only
    /// pins without pull-ups (34-39), and the RTC GPIOs (classic: 0, 2, 4, 12-15, 25-27, 32-39; S3: 0-21).
    /// </summary>
    public static class ChipPins
    {
        /// <summary>The chip of a nanoFramework target (SystemInfo.TargetName: ESP32_PSRAM_REV0, ESP32_S3_OCTAL, ...).</summary>
        public static Chip FromTarget(string targetName)
        {
            if (targetName == "ESP32_S3_OCTAL")
            {
                return Chip.Esp32S3Octal;
            }

            if (targetName.StartsWith("ESP32_S3"))
            {
                return Chip.Esp32S3;
            }

            // The classic ESP32's targets: ESP32_REV0, ESP32_PSRAM_REV3, ESP_WROVER_KIT, ESP32_PICO...
            bool otherSeries = targetName.StartsWith("ESP32_S2") || targetName.StartsWith("ESP32_C")
                || targetName.StartsWith("ESP32_H") || targetName.StartsWith("ESP32_P4");
            return otherSeries || !(targetName.StartsWith("ESP32") || targetName.StartsWith("ESP_")) ? Chip.Unsupported : Chip.Esp32;
        }

        public static int HighestGpio(Chip chip)
        {
            return chip == Chip.Esp32 ? 39 : 48;
        }

        /// <summary>Null when <paramref name="gpio"/> can read the button with the internal pull-up; otherwise why not.</summary>
        public static string? ProblemAsButton(Chip chip, int gpio)
        {
            string? common = CommonProblem(chip, gpio);
            if (common != null)
            {
                return common;
            }

            if (chip == Chip.Esp32 && gpio >= 34)
            {
                return "GPIO " + gpio.ToString() + " has no internal pull-up on the ESP32 (34-39 are input-only without one): the button would float";
            }

            return null;
        }

        /// <summary>Null when <paramref name="gpio"/> can drive the LED; otherwise why not.</summary>
        public static string? ProblemAsOutput(Chip chip, int gpio)
        {
            string? common = CommonProblem(chip, gpio);
            if (common != null)
            {
                return common;
            }

            if (chip == Chip.Esp32 && gpio >= 34)
            {
                return "GPIO " + gpio.ToString() + " is input-only on the ESP32 (34-39): it cannot drive the LED";
            }

            return null;
        }

        /// <summary>True when <paramref name="gpio"/> is an RTC GPIO of the chip, the only ones that wake it from deep sleep.</summary>
        public static bool CanWakeFromDeepSleep(Chip chip, int gpio)
        {
            if (chip == Chip.Esp32)
            {
                return gpio == 0 || gpio == 2 || gpio == 4 || (gpio >= 12 && gpio <= 15) || (gpio >= 25 && gpio <= 27) || (gpio >= 32 && gpio <= 39);
            }

            return gpio >= 0 && gpio <= 21;
        }

        /// <summary>The RTC GPIOs that can also read a button (the classic ESP32's 34-39 have no pull-up), as a maker reads them in a message.</summary>
        public static string WakePins(Chip chip)
        {
            return chip == Chip.Esp32 ? "0, 2, 4, 12-15, 25-27, 32, 33" : "0-18, 21";
        }

        private static string? CommonProblem(Chip chip, int gpio)
        {
            string pin = "GPIO " + gpio.ToString();
            if (chip == Chip.Unsupported)
            {
                return "this firmware runs on the classic ESP32 and the ESP32-S3 only";
            }

            if (chip == Chip.Esp32)
            {
                if (gpio < 0 || gpio > 39 || gpio == 20 || gpio == 24 || (gpio >= 28 && gpio <= 31))
                {
                    return pin + " does not exist on the ESP32";
                }

                if (gpio >= 6 && gpio <= 11)
                {
                    return pin + " is wired to the SPI flash on ESP32 modules (6-11)";
                }

                if (gpio == 16 || gpio == 17)
                {
                    return pin + " is wired to the PSRAM on ESP32-WROVER modules (16-17)";
                }

                if (gpio == 1 || gpio == 3)
                {
                    return pin + " is the serial port the firmware is flashed and logs through (TX 1, RX 3)";
                }

                return null;
            }

            if (gpio < 0 || gpio > 48 || (gpio >= 22 && gpio <= 25))
            {
                return pin + " does not exist on the ESP32-S3";
            }

            if (gpio >= 26 && gpio <= 32)
            {
                return pin + " is wired to the SPI flash and PSRAM on ESP32-S3 modules (26-32)";
            }

            if (chip == Chip.Esp32S3Octal && gpio >= 33 && gpio <= 37)
            {
                return pin + " is wired to the octal PSRAM on ESP32-S3 N8R8 modules (33-37)";
            }

            if (gpio == 19 || gpio == 20)
            {
                return pin + " is the ESP32-S3's USB (D- 19, D+ 20)";
            }

            if (gpio == 43 || gpio == 44)
            {
                return pin + " is the serial port the firmware is flashed and logs through (TX 43, RX 44)";
            }

            return null;
        }
    }
}
