using System;
using System.IO;
using System.Text;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// Small files on the internal flash (I:\): the configuration and credentials written at flashing
    /// time, the boot counter, and the last synchronised time (the clock floor).
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

        /// <summary>The stored boot counter as text, or null when missing or unreadable (the core decides what that means).</summary>
        public string? ReadBootCounter()
        {
            return ReadText(FirmwareInfo.BootCounterFile);
        }

        public bool WriteBootCounter(uint boot)
        {
            return Write(FirmwareInfo.BootCounterFile, boot.ToString());
        }

        /// <summary>The stored clock floor (Unix milliseconds) as text, or null.</summary>
        public string? ReadClockFloor()
        {
            return ReadText(FirmwareInfo.ClockFloorFile);
        }

        /// <summary>Saves a synchronised time as the floor no later reading may be behind.</summary>
        public void SaveClockFloor(long unixMs)
        {
            Write(FirmwareInfo.ClockFloorFile, unixMs.ToString());
        }
    }
}
