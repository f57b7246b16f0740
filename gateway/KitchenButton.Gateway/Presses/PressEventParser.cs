using System;
using System.Text.Json;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// Strict parser of the topic rule's event: every press field present once with its exact type, no
/// field the signature does not cover, nothing larger than the protocol allows. It never throws on
/// bad input; it names what was wrong.
/// </summary>
public static class PressEventParser
{
    /// <summary>A press is at most 512 bytes; the rule adds topicThing, clientId and receivedAt.</summary>
    public const int MaxEventBytes = 1024;

    private const int SignatureHexLength = 64;

    /// <summary>The last millisecond a DateTimeOffset holds (9999-12-31): larger receivedAt or ts values are refused, not thrown on.</summary>
    public const long MaxUnixMilliseconds = 253_402_300_799_999;
    public const long MaxUnixSeconds = 253_402_300_799;

    public static PressParseResult Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxEventBytes)
        {
            return PressParseResult.Fail(RejectReason.TooLarge, "event of " + utf8.Length + " bytes exceeds " + MaxEventBytes);
        }

        try
        {
            return ParseObject(utf8);
        }
        catch (JsonException e)
        {
            return PressParseResult.Fail(RejectReason.Malformed, "invalid JSON at byte " + e.BytePositionInLine);
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for invalid UTF-8 or an escaped lone surrogate.
            return PressParseResult.Fail(RejectReason.Malformed, "a string or field name is not valid UTF-8 text");
        }
    }

    private static PressParseResult ParseObject(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return PressParseResult.Fail(RejectReason.Malformed, "event is not a JSON object");
        }

        long? version = null;
        long? boot = null, seq = null, ts = null, held = null, queued = null, receivedAt = null;
        string? thing = null, kind = null, sig = null, topicThing = null, clientId = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            reader.Read();
            string? problem = name switch
            {
                "v" => ReadInteger(ref reader, name, long.MaxValue, ref version),
                "thing" => ReadString(ref reader, name, ref thing),
                "boot" => ReadInteger(ref reader, name, uint.MaxValue, ref boot),
                "seq" => ReadInteger(ref reader, name, uint.MaxValue, ref seq),
                "ts" => ReadInteger(ref reader, name, MaxUnixSeconds, ref ts),
                "kind" => ReadString(ref reader, name, ref kind),
                "held" => ReadInteger(ref reader, name, uint.MaxValue, ref held),
                "queued" => ReadInteger(ref reader, name, 1, ref queued),
                "sig" => ReadString(ref reader, name, ref sig),
                "topicThing" => ReadString(ref reader, name, ref topicThing),
                "clientId" => ReadString(ref reader, name, ref clientId),
                "receivedAt" => ReadInteger(ref reader, name, MaxUnixMilliseconds, ref receivedAt),
                _ => "unexpected field '" + Printable(name) + "'",
            };
            if (problem != null)
            {
                return PressParseResult.Fail(RejectReason.Malformed, problem);
            }
        }

        if (reader.Read())
        {
            return PressParseResult.Fail(RejectReason.Malformed, "data after the JSON object");
        }

        if (version == null)
        {
            return PressParseResult.Fail(RejectReason.Malformed, "missing field 'v'");
        }

        if (version != 1)
        {
            return PressParseResult.Fail(RejectReason.UnsupportedVersion, "protocol version " + version + " is not supported");
        }

        string? missing = thing == null ? "thing" : boot == null ? "boot" : seq == null ? "seq" : ts == null ? "ts"
            : kind == null ? "kind" : held == null ? "held" : queued == null ? "queued" : sig == null ? "sig"
            : topicThing == null ? "topicThing" : clientId == null ? "clientId" : receivedAt == null ? "receivedAt" : null;
        if (missing != null)
        {
            return PressParseResult.Fail(RejectReason.Malformed, "missing field '" + missing + "'");
        }

        if (!ThingNames.IsValid(thing))
        {
            return PressParseResult.Fail(RejectReason.Malformed, "'thing' must match [A-Za-z0-9_-]{1,64}");
        }

        PressKind pressKind;
        if (kind == "short")
        {
            pressKind = PressKind.Short;
        }
        else if (kind == "long")
        {
            pressKind = PressKind.Long;
        }
        else
        {
            return PressParseResult.Fail(RejectReason.Malformed, "'kind' must be \"short\" or \"long\"");
        }

        if (!IsLowerHex(sig!, SignatureHexLength))
        {
            return PressParseResult.Fail(RejectReason.Malformed, "'sig' must be 64 lowercase hexadecimal characters");
        }

        var press = new Press(thing!, (uint)boot!.Value, (uint)seq!.Value, ts!.Value, pressKind, (uint)held!.Value, queued == 1, sig!);
        var envelope = new PressEnvelope(press, topicThing!, clientId!, DateTimeOffset.FromUnixTimeMilliseconds(receivedAt!.Value));
        return PressParseResult.Ok(envelope);
    }

    private static string? ReadInteger(ref Utf8JsonReader reader, string name, long max, ref long? target)
    {
        if (target != null)
        {
            return "field '" + name + "' appears twice";
        }

        // Integers only: no fraction, no exponent, no sign, as the device writes them.
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0 || value > max
            || reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return "'" + name + "' must be a whole number from 0 to " + max;
        }

        target = value;
        return null;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name, ref string? target)
    {
        if (target != null)
        {
            return "field '" + name + "' appears twice";
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return "'" + name + "' must be a string";
        }

        target = reader.GetString();
        return null;
    }

    private static bool IsLowerHex(string value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c) && (c < 'a' || c > 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Field names from an attacker are logged only in a bounded, printable form.</summary>
    private static string Printable(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 32)];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = name[i] >= 0x20 && name[i] < 0x7F ? name[i] : '?';
        }

        return new string(buffer) + (name.Length > 32 ? "…" : string.Empty);
    }
}
