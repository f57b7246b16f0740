using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KitchenButton.Simulator;

/// <summary>
/// A stand-in for the gateway and the station's waiting orders, so the virtual button has someone to
/// talk to before the local stack exists. It checks each press the way docs/protocol.md says the
/// gateway must (signature, one result per (boot, seq)) and answers with the state message.
/// It is a demonstration partner, not the gateway.
/// </summary>
internal sealed class SimulatedKitchen
{
    private readonly string _thing;
    private readonly byte[] _secret;
    private readonly Dictionary<(uint Boot, uint Seq), string> _answered = new();

    public SimulatedKitchen(string thing, byte[] secret)
    {
        _thing = thing;
        _secret = secret;
    }

    public int PendingOrders { get; set; }

    public int Resumed { get; private set; }

    public int ProblemsReported { get; private set; }

    public int Rejected { get; private set; }

    public int Duplicates { get; private set; }

    public string StateMessage(uint boot, uint seq, string result)
    {
        return "{\"pending\":" + PendingOrders + ",\"last\":{\"seq\":" + seq + ",\"boot\":" + boot + ",\"result\":\"" + result + "\"}}";
    }

    public string CountMessage() => "{\"pending\":" + PendingOrders + "}";

    /// <summary>Handles one press message; returns the state message to send back.</summary>
    public string Handle(string json, out string result)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement m = doc.RootElement;
        uint boot = m.GetProperty("boot").GetUInt32();
        uint seq = m.GetProperty("seq").GetUInt32();
        if (!SignatureMatches(m))
        {
            Rejected++;
            result = "rejected";
        }
        else if (_answered.ContainsKey((boot, seq)))
        {
            Duplicates++;
            result = "duplicate";
        }
        else if (PendingOrders == 0)
        {
            result = "no-pending";
        }
        else if (m.GetProperty("kind").GetString() == "long")
        {
            PendingOrders--;
            ProblemsReported++;
            result = "problem-reported";
        }
        else
        {
            PendingOrders--;
            Resumed++;
            result = "resumed";
        }

        _answered.TryAdd((boot, seq), result);
        return StateMessage(boot, seq, result);
    }

    private bool SignatureMatches(JsonElement m)
    {
        if (m.GetProperty("thing").GetString() != _thing)
        {
            return false;
        }

        string canonical = string.Join("\n", "kb1", _thing, m.GetProperty("boot").GetUInt32(), m.GetProperty("seq").GetUInt32(),
            m.GetProperty("ts").GetInt64(), m.GetProperty("kind").GetString(), m.GetProperty("held").GetInt32(), m.GetProperty("queued").GetInt32());
        byte[] expected = HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(canonical));
        byte[] given = Convert.FromHexString(m.GetProperty("sig").GetString() ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
