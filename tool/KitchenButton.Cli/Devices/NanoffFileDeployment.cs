using System.IO;
using System.Text;
using System.Text.Json;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// The JSON `nanoff --filedeployment` reads to copy files onto a board's internal flash (I:\), as
/// nanoFirmwareFlasher v2.5.162 defines it (FileDeployment/FileDeploymentConfiguration.cs: an optional
/// SerialPort and a list of Files, each a DestinationFilePath and a SourceFilePath; names read
/// case-insensitively, the JSON's port winning over --serialport).
/// </summary>
public static class NanoffFileDeployment
{
    public const string FileName = "deploy.json";

    /// <summary>The files the firmware reads from I:\ (FirmwareInfo), in the order it reads them.</summary>
    public static readonly string[] BoardFiles = { DeviceConfigFile.FileName, "device.cert.pem", "device.private.key", "AmazonRootCA1.pem" };

    /// <summary>The deployment of <see cref="BoardFiles"/> from <paramref name="folder"/> (absolute paths, so nanoff runs from anywhere).</summary>
    public static string Render(string folder, string? serialPort)
    {
        string root = Path.GetFullPath(folder);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (serialPort != null)
            {
                json.WriteString("SerialPort", serialPort);
            }

            json.WriteStartArray("Files");
            foreach (string name in BoardFiles)
            {
                json.WriteStartObject();
                json.WriteString("DestinationFilePath", "I:\\" + name);
                json.WriteString("SourceFilePath", Path.Combine(root, name));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
