using System;
using System.Text;
using System.Text.Json;
using KitchenButton.Device.Input;
using KitchenButton.Device.Protocol;
using KitchenButton.Device.Tests.Vectors;
using KitchenButton.Simulator.Host;
using Xunit;

namespace KitchenButton.Device.Tests.Protocol;

public sealed class PressMessageEncoderTests
{
    [Theory]
    [MemberData(nameof(PressVectorFile.CaseData), MemberType = typeof(PressVectorFile))]
    public void Encodes_every_golden_vector_exactly(string name)
    {
        PressVector v = PressVectorFile.Case(name);
        var encoder = new PressMessageEncoder(v.Thing, new HostHmacSha256(Convert.FromHexString(v.SecretHex)));
        PressMessage message = ToMessage(v);

        byte[] canonical = new byte[200];
        int canonicalLength = encoder.WriteCanonical(message, canonical);
        Assert.Equal(v.Canonical, Encoding.ASCII.GetString(canonical, 0, canonicalLength));

        int length = encoder.Encode(message);
        Assert.Equal(v.Json, Encoding.ASCII.GetString(encoder.Buffer, 0, length));
    }

    [Fact]
    public void Output_is_valid_json_with_the_protocol_fields()
    {
        PressVector v = PressVectorFile.Case("queued-while-offline");
        var encoder = new PressMessageEncoder(v.Thing, new HostHmacSha256(Convert.FromHexString(v.SecretHex)));
        int length = encoder.Encode(ToMessage(v));

        using JsonDocument doc = JsonDocument.Parse(encoder.Buffer.AsMemory(0, length));
        JsonElement root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("pizza-oven-1", root.GetProperty("thing").GetString());
        Assert.Equal(7u, root.GetProperty("boot").GetUInt32());
        Assert.Equal(1, root.GetProperty("queued").GetInt32());
        Assert.Equal(9, System.Linq.Enumerable.Count(root.EnumerateObject()));
    }

    [Fact]
    public void A_different_secret_gives_a_different_signature()
    {
        PressVector v = PressVectorFile.Case("short-first-press");
        byte[] otherKey = Convert.FromHexString(v.SecretHex);
        otherKey[0] ^= 1;
        var encoder = new PressMessageEncoder(v.Thing, new HostHmacSha256(otherKey));
        int length = encoder.Encode(ToMessage(v));
        Assert.DoesNotContain(v.Signature, Encoding.ASCII.GetString(encoder.Buffer, 0, length));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/topic")]
    [InlineData("plus+")]
    [InlineData("hash#")]
    [InlineData("üml")]
    public void Refuses_a_thing_name_outside_the_protocol_alphabet(string thing)
    {
        Assert.Throws<ArgumentException>(() => new PressMessageEncoder(thing, new HostHmacSha256(new byte[32])));
    }

    [Fact]
    public void Refuses_a_thing_name_longer_than_64()
    {
        Assert.False(ThingName.IsValid(new string('a', 65)));
        Assert.True(ThingName.IsValid(new string('a', 64)));
    }

    [Fact]
    public void Will_not_sign_a_press_without_a_timestamp()
    {
        var encoder = new PressMessageEncoder("t", new HostHmacSha256(new byte[32]));
        var message = new PressMessage { Boot = 1, Seq = 1, Timestamp = -1, Kind = PressKind.Short, HeldMs = 10 };
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(message));
    }

    [Fact]
    public void The_largest_possible_message_fits_512_bytes()
    {
        var encoder = new PressMessageEncoder(new string('z', 64), new HostHmacSha256(new byte[32]));
        var message = new PressMessage
        {
            Boot = uint.MaxValue,
            Seq = uint.MaxValue,
            Timestamp = long.MaxValue,
            Kind = PressKind.Short,
            HeldMs = int.MaxValue,
            Queued = true,
        };
        Assert.InRange(encoder.Encode(message), 1, PressMessageEncoder.MaxMessageBytes);
    }

    internal static PressMessage ToMessage(PressVector v)
    {
        return new PressMessage
        {
            Boot = v.Boot,
            Seq = v.Seq,
            Timestamp = v.Ts,
            Kind = v.Kind == "long" ? PressKind.Long : PressKind.Short,
            HeldMs = v.Held,
            Queued = v.Queued == 1,
        };
    }
}
