using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using KitchenButton.Gateway.Presses;
using KitchenButton.LocalAws;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>tests/vectors/press-v1.json, the device core's golden vectors, read as the gateway sees presses.</summary>
internal static class GoldenVectors
{
    public sealed record Vector(string Name, byte[] Secret, Press Press, string Canonical, string Json);

    public static IReadOnlyList<Vector> All()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.PressVectors));
        var list = new List<Vector>();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var press = new Press(
                c.GetProperty("thing").GetString()!,
                c.GetProperty("boot").GetUInt32(),
                c.GetProperty("seq").GetUInt32(),
                c.GetProperty("ts").GetInt64(),
                c.GetProperty("kind").GetString() == "long" ? PressKind.Long : PressKind.Short,
                c.GetProperty("held").GetUInt32(),
                c.GetProperty("queued").GetInt32() == 1,
                c.GetProperty("signature").GetString()!);
            list.Add(new Vector(c.GetProperty("name").GetString()!, Convert.FromHexString(c.GetProperty("secretHex").GetString()!), press,
                c.GetProperty("canonical").GetString()!, c.GetProperty("json").GetString()!));
        }

        return list;
    }

    public static IEnumerable<object[]> Names()
    {
        foreach (Vector v in All())
        {
            yield return new object[] { v.Name };
        }
    }

    public static Vector Named(string name) => ((List<Vector>)All()).Find(v => v.Name == name) ?? throw new KeyNotFoundException(name);

    /// <summary>The vector's device JSON with the fields the topic rule adds.</summary>
    public static string AsRuleEvent(Vector v) => v.Json[..^1] + ",\"topicThing\":\"" + v.Press.Thing + "\",\"clientId\":\"" + v.Press.Thing + "\",\"receivedAt\":" + (v.Press.Timestamp * 1000) + "}";
}
