using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KitchenButton.Device.Tests.Support;
using Xunit;

namespace KitchenButton.Device.Tests.Vectors;

/// <summary>
/// Produces the golden vectors with an computation independent of the device core (string
/// formatting and .NET's HMACSHA256) and checks the committed file equals it. Set
/// KB_WRITE_VECTORS=1 to rewrite tests/vectors/press-v1.json after changing the inputs below.
/// </summary>
public sealed class PressVectorGeneratorTests
{
    private static readonly (string Name, string SecretHex, string Thing, uint Boot, uint Seq, long Ts, string Kind, int Held, int Queued)[] Inputs =
    {
        ("short-first-press", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "pizza-oven-1", 1, 1, 1764000000, "short", 180, 0),
        ("long-problem-press", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "pizza-oven-1", 1, 2, 1764000042, "long", 2300, 0),
        ("queued-while-offline", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "pizza-oven-1", 7, 3, 1764003600, "short", 95, 1),
        ("other-device-same-press", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", "grill_station-2", 1, 1, 1764000000, "short", 180, 0),
        ("max-boot-and-seq", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a", "fryer-3", uint.MaxValue, uint.MaxValue, 1893456000, "long", 29999, 1),
        ("zero-held-threshold-edge", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", "salad-bar", 12, 40, 1764086399, "short", 0, 0),
        ("long-at-threshold", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", "salad-bar", 12, 41, 1764086400, "long", 1500, 0),
        ("longest-thing-name", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", new string('k', 32) + new string('B', 31) + "9", 300, 17, 1767225600, "short", 250, 0),
        ("single-char-thing", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", "x", 2, 1000000, 1780000000, "short", 1499, 1),
        ("all-zero-secret", "0000000000000000000000000000000000000000000000000000000000000000", "dessert_pass", 5, 9, 1764000123, "long", 5000, 1),
        ("same-press-other-ts", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "pizza-oven-1", 1, 1, 1764000001, "short", 180, 0),
        ("underscore-and-dash", "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef", "Bar_Station-07", 99, 12345, 1800000000, "long", 1600, 0),
    };

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public void Committed_vectors_equal_an_independent_computation()
    {
        PressVectorFile expected = Generate();
        string expectedText = JsonSerializer.Serialize(expected, WriteOptions) + "\n";
        if (Environment.GetEnvironmentVariable("KB_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(RepositoryPaths.PressVectors, expectedText);
        }

        string committed = File.ReadAllText(RepositoryPaths.PressVectors);
        Assert.Equal(expectedText, committed);
        Assert.True(expected.Cases.Count >= 10);
    }

    [Fact]
    public void Every_vector_is_within_the_protocol_size_limit()
    {
        foreach (PressVector v in PressVectorFile.Load().Cases)
        {
            Assert.True(Encoding.ASCII.GetByteCount(v.Json) <= 512, v.Name);
            Assert.Matches("^[0-9a-f]{64}$", v.Signature);
        }
    }

    private static PressVectorFile Generate()
    {
        var cases = new List<PressVector>();
        foreach (var i in Inputs)
        {
            string canonical = string.Join("\n", "kb1", i.Thing, i.Boot.ToString(), i.Seq.ToString(), i.Ts.ToString(), i.Kind, i.Held.ToString(), i.Queued.ToString());
            byte[] mac = HMACSHA256.HashData(Convert.FromHexString(i.SecretHex), Encoding.ASCII.GetBytes(canonical));
            string signature = Convert.ToHexStringLower(mac);
            string json = "{\"v\":1,\"thing\":\"" + i.Thing + "\",\"boot\":" + i.Boot + ",\"seq\":" + i.Seq + ",\"ts\":" + i.Ts
                + ",\"kind\":\"" + i.Kind + "\",\"held\":" + i.Held + ",\"queued\":" + i.Queued + ",\"sig\":\"" + signature + "\"}";
            cases.Add(new PressVector
            {
                Name = i.Name,
                SecretHex = i.SecretHex,
                Thing = i.Thing,
                Boot = i.Boot,
                Seq = i.Seq,
                Ts = i.Ts,
                Kind = i.Kind,
                Held = i.Held,
                Queued = i.Queued,
                Canonical = canonical,
                Signature = signature,
                Json = json,
            });
        }

        return new PressVectorFile
        {
            Format = "kitchenbutton press v1 (docs/protocol.md)",
            Note = "Generated by PressVectorGeneratorTests with .NET's HMACSHA256; test secrets only, never used by a real device.",
            Cases = cases,
        };
    }
}
