using System.IO;
using System.Text;
using System.Text.Json;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Feedback;

/// <summary>Builds the state message of docs/protocol.md.</summary>
public static class StateMessage
{
    public static string Topic(string thing) => "cmd/kitchenbutton/" + thing + "/state";

    public static string CountOnly(int pending) => Write(pending, null, 0, 0, null);

    public static string WithResult(int pending, uint boot, uint seq, PressResult result, string? orderId) => Write(pending, result.ToWire(), boot, seq, orderId);

    private static string Write(int pending, string? result, uint boot, uint seq, string? orderId)
    {
        using var stream = new MemoryStream(128);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("pending", pending);
            if (result != null)
            {
                json.WriteStartObject("last");
                json.WriteNumber("seq", seq);
                json.WriteNumber("boot", boot);
                json.WriteString("result", result);
                if (orderId != null)
                {
                    json.WriteString("order", orderId);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
