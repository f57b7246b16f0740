using System.Diagnostics;
using KitchenButton.Device.Control;
using KitchenButton.Firmware.Storage;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace KitchenButton.Firmware.Hardware
{
    /// <summary>
    /// The restart policy: restart for low memory or a long outage only when the controller is
    /// quiescent (nothing held, queued or awaited), so a restart never loses a press; optional deep
    /// sleep for battery builds, woken by the button.
    /// </summary>
    internal sealed class Maintenance
    {
        private readonly DeviceController _device;
        private readonly FlashFiles _flash;
        private readonly int _buttonPin;
        private readonly int _sleepAfterIdleMs;
        private long _lastActivityAt;
        private long _lastOnlineAt;

        public Maintenance(DeviceController device, FlashFiles flash, int buttonPin, int sleepAfterIdleSeconds, long nowMs)
        {
            _device = device;
            _flash = flash;
            _buttonPin = buttonPin;
            _sleepAfterIdleMs = sleepAfterIdleSeconds * 1000;
            _lastActivityAt = nowMs;
            _lastOnlineAt = nowMs;
        }

        public uint FreeMemory()
        {
            return GC.Run(false);
        }

        public void NoteActivity(long nowMs)
        {
            _lastActivityAt = nowMs;
        }

        /// <summary>Called about once a second from the main loop.</summary>
        public void Check(long nowMs)
        {
            if (_device.IsConnected)
            {
                _lastOnlineAt = nowMs;
            }

            if (!_device.IsQuiescent)
            {
                _lastActivityAt = nowMs;
                return;
            }

            uint free = FreeMemory();
            if (free < FirmwareInfo.LowMemoryBytes)
            {
                Restart("free memory " + free.ToString() + " bytes is below the threshold");
            }

            if (nowMs - _lastOnlineAt > FirmwareInfo.OfflineRestartMs)
            {
                Restart("offline for more than 30 minutes");
            }

            if (_sleepAfterIdleMs > 0 && _device.PendingOrders == 0 && nowMs - _lastActivityAt > _sleepAfterIdleMs)
            {
                DeepSleep();
            }
        }

        public void Restart(string why)
        {
            Debug.WriteLine("restarting: " + why);
            _flash.SaveClockFloor();
            Power.RebootDevice(2000);
        }

        private void DeepSleep()
        {
            Debug.WriteLine("idle: deep sleep until the button is pressed");
            _flash.SaveClockFloor();

            // The button pulls the pin low: wake on level 0. Only RTC-capable pins can wake the chip.
            Sleep.EnableWakeupByPin(WakeupPinOf(_buttonPin), 0);
            Sleep.StartDeepSleep();
        }

        private static Sleep.WakeupGpioPin WakeupPinOf(int gpio)
        {
            return (Sleep.WakeupGpioPin)((ulong)1 << gpio);
        }
    }
}
