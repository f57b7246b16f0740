using System;
using System.Text;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.LocalAws;

/// <summary>Builds topic-rule events the way IoT Core would hand them to the Lambda.</summary>
public static class PressEvents
{
    public static string Json(Press press, string? topicThing = null, string? clientId = null, long? receivedAtMs = null)
    {
        return "{" + DeviceFields(press)
            + ",\"topicThing\":\"" + (topicThing ?? press.Thing) + "\",\"clientId\":\"" + (clientId ?? press.Thing) + "\",\"receivedAt\":" + (receivedAtMs ?? ((press.Timestamp * 1000) + 150)) + "}";
    }

    /// <summary>What the board publishes on its press topic: the event without the fields the rule's SELECT adds.</summary>
    public static string DevicePayload(Press press) => "{" + DeviceFields(press) + "}";

    public static Press Signed(string thing, byte[] secret, uint boot, uint seq, long ts, PressKind kind = PressKind.Short, uint held = 180, bool queued = false)
    {
        var unsigned = new Press(thing, boot, seq, ts, kind, held, queued, new string('0', 64));
        return unsigned with { Signature = PressSignature.Compute(unsigned, secret) };
    }

    public static byte[] Event(Press press, string? topicThing = null, string? clientId = null, long? receivedAtMs = null)
    {
        return Encoding.UTF8.GetBytes(Json(press, topicThing, clientId, receivedAtMs));
    }

    private static string DeviceFields(Press press) =>
        "\"v\":1,\"thing\":\"" + press.Thing + "\",\"boot\":" + press.Boot + ",\"seq\":" + press.Seq + ",\"ts\":" + press.Timestamp
        + ",\"kind\":\"" + press.KindName + "\",\"held\":" + press.HeldMs + ",\"queued\":" + (press.Queued ? 1 : 0) + ",\"sig\":\"" + press.Signature + "\"";
}
