using System.Collections.Generic;
using System.IO;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// What the maker runs after pairing, with this board's paths filled in (hardware.md, steps 5 and 6).
/// The nanoff command lines are those of nanoFirmwareFlasher v2.5.162: `--nanodevice --deploy` asks
/// the running nanoCLR where its deployment area is, and `--filedeployment` is a run of its own,
/// because nanoff's --nanodevice path ends before it reaches the file deployment.
/// </summary>
public static class BoardSteps
{
    /// <summary>The app's deployment image, as the nanoFramework build writes it from the repository's root.</summary>
    public const string Image = "firmware/KitchenButton.Firmware/bin/Release/KitchenButton.Firmware.bin";

    public static IReadOnlyList<string> For(string folder, string? serialPort, bool brokerCaWritten)
    {
        string port = serialPort ?? "PORT";
        string deployJson = Path.Combine(folder, NanoffFileDeployment.FileName);
        var lines = new List<string>();
        if (!brokerCaWritten)
        {
            lines.Add("put Amazon's root CA beside the board's files first: " + Path.Combine(folder, "AmazonRootCA1.pem")
                + " (https://www.amazontrust.com/repository/AmazonRootCA1.pem)");
        }

        lines.Add("deploy the app (or, in VS Code, \"nanoFramework: Deploy Project\"): nanoff --nanodevice --deploy --serialport " + port + " --image " + Image);
        lines.Add("then copy the board's files to I:\\: nanoff --filedeployment " + deployJson + (serialPort == null ? " --serialport " + port : string.Empty));
        if (serialPort == null)
        {
            lines.Add("(PORT is the board's serial port; --serial-port writes it into deploy.json)");
        }

        lines.Add("keep " + folder + " out of git: it holds the board's private key and secret");
        return lines;
    }
}
