using System;
using System.Device.Gpio;

namespace KitchenButton.Firmware.Hardware
{
    /// <summary>
    /// The button on a GPIO with the internal pull-up (pressed = low). Every edge goes to the main loop
    /// with its millisecond timestamp; the pin's own debounce only trims contact noise, the core's
    /// detector decides what a press is.
    /// </summary>
    internal sealed class ButtonInput
    {
        private readonly GpioPin _pin;
        private readonly EventQueue _events;

        public ButtonInput(GpioController gpio, int pinNumber, EventQueue events)
        {
            _events = events;
            _pin = gpio.OpenPin(pinNumber, PinMode.InputPullUp);

            // Shorter than the core's debounce window so the core still sees every stable level.
            _pin.DebounceTimeout = TimeSpan.FromMilliseconds(5);
            _pin.ValueChanged += OnValueChanged;
        }

        /// <summary>True while the button is held now (for a press that woke the board).</summary>
        public bool IsPressed => _pin.Read() == PinValue.Low;

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            _events.Post(ButtonEvent.Edge, Environment.TickCount64, e.ChangeType == PinEventTypes.Falling ? 1 : 0, null);
        }
    }
}
