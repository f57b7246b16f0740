using KitchenButton.Device.Configuration;
using KitchenButton.Device.Control;
using KitchenButton.Firmware.Network;
using KitchenButton.Firmware.Storage;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace KitchenButton.Firmware.Hardware
{
    /// <summary>
    /// Carries out the core's <see cref="MaintenancePolicy"/>: measures both heaps when it asks,
    /// restarts, or puts the board into deep sleep woken by the button.
    /// </summary>
    internal sealed class Maintenance
    {
        private readonly DeviceController _device;
        private readonly FlashFiles _flash;
        private readonly int _buttonPin;
        private readonly Chip _chip;
        private readonly NativeHeaps _heaps = new NativeHeaps();
        private readonly MaintenancePolicy _policy;
        private uint _managedFree;

        public Maintenance(DeviceController device, FlashFiles flash, Chip chip, int buttonPin, int sleepAfterIdleSeconds, long nowMs)
        {
            _device = device;
            _flash = flash;
            _buttonPin = buttonPin;
            _chip = chip;
            _policy = new MaintenancePolicy(sleepAfterIdleSeconds * 1000, nowMs);
            _managedFree = GC.Run(false);
        }

        /// <summary>Free managed memory at the last measurement (a measurement is a full collection, so it is not repeated per report).</summary>
        public uint ManagedFree => _managedFree;

        public void NoteActivity(long nowMs)
        {
            _policy.NoteActivity(nowMs);
        }

        /// <summary>Called about once a second from the main loop.</summary>
        public void Check(long nowMs)
        {
            Act(_policy.Decide(nowMs, _device.IsQuiescent, _device.IsConnected, _device.PendingOrders, _device.IsButtonHeld));
            if (_policy.IsMemoryCheckDue(nowMs))
            {
                _managedFree = GC.Run(false);
                uint total;
                uint free;
                uint largest;
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.Internal, out total, out free, out largest);
                _heaps.InternalFree = free;
                _heaps.InternalLargestBlock = largest;

                // What the managed heap left of the PSRAM (0 on a board without): where mbedTLS's incoming record goes.
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.SpiRam, out total, out free, out largest);
                _heaps.PsramTotal = total;
                _heaps.PsramLargestBlock = largest;
                MaintenanceAction memory = _policy.DecideMemory(_device.IsQuiescent, _device.IsConnected, _managedFree, _heaps);
                if (memory != MaintenanceAction.None)
                {
                    Log.Line("memory: managed free " + _managedFree.ToString() + " B, internal free " + _heaps.InternalFree.ToString()
                        + " B, largest internal block " + _heaps.InternalLargestBlock.ToString() + " B, largest PSRAM block "
                        + _heaps.PsramLargestBlock.ToString() + " B of " + _heaps.PsramTotal.ToString());
                }

                Act(memory);
            }
        }

        public void Restart(string why)
        {
            Log.Line("restarting: " + why);
            SaveClockFloor();
            Power.RebootDevice(2000);
        }

        private void Act(MaintenanceAction action)
        {
            switch (action)
            {
                case MaintenanceAction.RestartLowManagedMemory:
                    Restart("managed memory below " + MaintenancePolicy.DefaultLowManagedBytes.ToString() + " bytes");
                    break;
                case MaintenanceAction.RestartLowNativeMemory:
                    Restart("native memory low or fragmented");
                    break;
                case MaintenanceAction.RestartOffline:
                    Restart("offline for more than 30 minutes");
                    break;
                case MaintenanceAction.RestartStranded:
                    Restart("offline for more than an hour: " + _device.QueuedPresses.ToString() + " queued press(es) dropped");
                    break;
                case MaintenanceAction.DeepSleep:
                    DeepSleep();
                    break;
            }
        }

        private void SaveClockFloor()
        {
            if (_device.IsClockKnown)
            {
                _flash.SaveClockFloor(ClockSync.UnixNowMs());
            }
        }

        private void DeepSleep()
        {
            // The configuration parser refuses sleep on a pin that is not an RTC GPIO; checked again
            // here because a wake-up that cannot happen would leave the button dead until power-cycled.
            if (!ChipPins.CanWakeFromDeepSleep(_chip, _buttonPin))
            {
                return;
            }

            // The button pulls the pin low: wake on level 0 (ext0).
            EspNativeError error = Sleep.EnableWakeupByPin((Sleep.WakeupGpioPin)((ulong)1 << _buttonPin), 0);
            if (error != EspNativeError.OK)
            {
                Log.Line("idle: deep sleep not entered, wake-up on GPIO " + _buttonPin.ToString() + " refused (" + ((int)error).ToString() + ")");
                _policy.NoteActivity(System.Environment.TickCount64);
                return;
            }

            Log.Line("idle: deep sleep until the button is pressed");
            SaveClockFloor();
            Sleep.StartDeepSleep();
        }
    }
}
