using System;
using System.IO;
using System.Text;
using nanoFramework.Runtime.Native;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// Small files on the internal flash (I:\): the configuration and credentials written at flashing
    /// time, the boot counter, and the last known good time so a reboot never starts from 1970.
    /// </summary>
    internal sealed class FlashFiles
    {
        /// <summary>Reads a whole file, or returns null when it is missing or unreadable.</summary>
        public byte[]? Read(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    byte[] content = new byte[(int)stream.Length];
                    int read = 0;
                    while (read < content.Length)
                    {
                        int n = stream.Read(content, read, content.Length - read);
                        if (n <= 0)
                        {
                            return null;
                        }

                        read += n;
                    }

                    return content;
                }
            }
            catch (IOException)
            {
                return null;
            }
        }

        public string? ReadText(string path)
        {
            byte[]? bytes = Read(path);
            return bytes == null ? null : Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        public bool Write(string path, string text)
        {
            try
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush();
                }

                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>The boot counter of the previous start (0 on a first start).</summary>
        public uint ReadBootCounter()
        {
            string? text = ReadText(FirmwareInfo.BootCounterFile);
            uint value;
            return text != null && uint.TryParse(text.Trim(), out value) ? value : 0;
        }

        public bool WriteBootCounter(uint boot)
        {
            return Write(FirmwareInfo.BootCounterFile, boot.ToString());
        }

        /// <summary>Sets the clock to the last known good time if it is behind it (after a cold start).</summary>
        public void RestoreClockFloor()
        {
            string? text = ReadText(FirmwareInfo.ClockFloorFile);
            long ticks;
            if (text != null && long.TryParse(text.Trim(), out ticks) && DateTime.UtcNow.Ticks < ticks)
            {
                Rtc.SetSystemTime(new DateTime(ticks, DateTimeKind.Utc));
            }
        }

        public void SaveClockFloor()
        {
            if (DateTime.UtcNow.Year >= 2025)
            {
                Write(FirmwareInfo.ClockFloorFile, DateTime.UtcNow.Ticks.ToString());
            }
        }
    }
}
