using System;
using System.IO;
using System.Text;

namespace KitchenButton.Cli.Devices;

/// <summary>The board's kitchenbutton.ini, in the format the firmware's DeviceConfigParser reads.</summary>
public static class DeviceConfigFile
{
    public const string FileName = "kitchenbutton.ini";

    /// <param name="iotEndpoint">host, or host:port for a broker off the standard MQTT port (the local stack's).</param>
    public static string Render(string thing, string stationId, string wifiSsid, string wifiPassword, string iotEndpoint, string secretHex)
    {
        int colon = iotEndpoint.LastIndexOf(':');
        string host = colon > 0 ? iotEndpoint[..colon] : iotEndpoint;
        string portLine = colon > 0 ? "iot.port = " + iotEndpoint[(colon + 1)..] + Environment.NewLine : string.Empty;
        return new StringBuilder()
            .AppendLine("# KitchenButton device configuration for " + thing + " at station " + stationId + ".")
            .AppendLine("# Written by kitchenbutton. Upload to the board as I:\\kitchenbutton.ini; never commit it.")
            .AppendLine("wifi.ssid = " + wifiSsid)
            .AppendLine("wifi.password = " + wifiPassword)
            .AppendLine("iot.endpoint = " + host)
            .Append(portLine)
            .AppendLine("thing = " + thing)
            .AppendLine("secret = " + secretHex)
            .ToString();
    }

    /// <summary>The same file on another Wi-Fi network, every other line as it was.</summary>
    public static string WithWifi(string ini, string ssid, string password)
    {
        var result = new StringBuilder();
        foreach (string line in ini.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            string trimmed = line.TrimEnd('\r');
            string key = trimmed.Contains('=', StringComparison.Ordinal) ? trimmed[..trimmed.IndexOf('=', StringComparison.Ordinal)].Trim() : string.Empty;
            result.AppendLine(key == "wifi.ssid" ? "wifi.ssid = " + ssid : key == "wifi.password" ? "wifi.password = " + password : trimmed);
        }

        return result.ToString();
    }

    /// <summary>The same file with a new secret, every other line as it was.</summary>
    public static string WithSecret(string ini, string secretHex)
    {
        var result = new StringBuilder();
        foreach (string line in ini.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            string trimmed = line.TrimEnd('\r');
            result.AppendLine(trimmed.TrimStart().StartsWith("secret", StringComparison.Ordinal) && trimmed.Contains('=', StringComparison.Ordinal)
                ? "secret = " + secretHex
                : trimmed);
        }

        return result.ToString();
    }

    /// <summary>Writes a file only its owner can read when it holds a secret.</summary>
    public static void Write(string folder, string name, string content, bool secret)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
