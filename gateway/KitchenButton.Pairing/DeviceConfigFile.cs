using System.Text;

namespace KitchenButton.Pairing;

/// <summary>The board's kitchenbutton.ini, in the format the firmware's DeviceConfigParser reads.</summary>
public static class DeviceConfigFile
{
    public static string Render(PairRequest request, string iotEndpoint, string secretHex)
    {
        return new StringBuilder()
            .AppendLine("# KitchenButton device configuration for " + request.Thing + " at station " + request.StationId + ".")
            .AppendLine("# Written by kb-pair. Upload to the board as I:\\kitchenbutton.ini; never commit it.")
            .AppendLine("wifi.ssid = " + request.WifiSsid)
            .AppendLine("wifi.password = " + request.WifiPassword)
            .AppendLine("iot.endpoint = " + iotEndpoint)
            .AppendLine("thing = " + request.Thing)
            .AppendLine("secret = " + secretHex)
            .ToString();
    }
}
