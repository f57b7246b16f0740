using System.Device.Gpio;

namespace KitchenButton.Firmware.Hardware
{
    /// <summary>The status LED on a GPIO (active high, through a resistor to GND). Written only on change.</summary>
    internal sealed class LedDriver
    {
        private readonly GpioPin _pin;

        public LedDriver(GpioController gpio, int pinNumber)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        public void Set(bool on)
        {
            _pin.Write(on ? PinValue.High : PinValue.Low);
        }
    }
}
