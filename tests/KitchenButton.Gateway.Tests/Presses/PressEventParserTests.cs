using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Presses;

public sealed class PressEventParserTests
{
    private const string Sig = "5174fb207f9a3266051362dd9e3ece9889fd77b8356c56525bcb59a73386c75c";
    private const string Valid = "{\"v\":1,\"thing\":\"pizza-oven-1\",\"boot\":1,\"seq\":1,\"ts\":1764000000,\"kind\":\"short\",\"held\":180,\"queued\":0,\"sig\":\"" + Sig + "\",\"topicThing\":\"pizza-oven-1\",\"clientId\":\"pizza-oven-1\",\"receivedAt\":1764000000150}";

    private static PressParseResult Parse(string json) => PressEventParser.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [MemberData(nameof(GoldenVectors.Names), MemberType = typeof(GoldenVectors))]
    public void Every_golden_vector_parses_to_its_fields(string name)
    {
        GoldenVectors.Vector v = GoldenVectors.Named(name);
        PressParseResult result = Parse(GoldenVectors.AsRuleEvent(v));
        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(v.Press, result.Envelope!.Press);
        Assert.Equal(v.Press.Thing, result.Envelope.TopicThing);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(v.Press.Timestamp), result.Envelope.ReceivedAt);
    }

    [Fact]
    public void Field_order_and_whitespace_do_not_matter()
    {
        string json = "{ \"receivedAt\": 1764000000150, \"clientId\": \"pizza-oven-1\", \"topicThing\": \"pizza-oven-1\", \"sig\": \"" + Sig + "\","
            + " \"queued\": 0, \"held\": 180, \"kind\": \"short\", \"ts\": 1764000000, \"seq\": 1, \"boot\": 1, \"thing\": \"pizza-oven-1\", \"v\": 1 }";
        Assert.True(Parse(json).IsValid);
    }

    [Theory]
    [InlineData("not json", RejectReason.Malformed)]
    [InlineData("[]", RejectReason.Malformed)]
    [InlineData("{\"v\":1}", RejectReason.Malformed)]
    [InlineData("{\"thing\":\"x\"}", RejectReason.Malformed)]
    public void Garbage_is_malformed(string json, RejectReason reason)
    {
        PressParseResult result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("\"v\":1", "\"v\":2", RejectReason.UnsupportedVersion, "protocol version 2 is not supported")]
    [InlineData("\"boot\":1", "\"boot\":-1", RejectReason.Malformed, "'boot' must be a whole number from 0 to 4294967295")]
    [InlineData("\"boot\":1", "\"boot\":4294967296", RejectReason.Malformed, "'boot' must be a whole number from 0 to 4294967295")]
    [InlineData("\"seq\":1", "\"seq\":1.0", RejectReason.Malformed, "'seq' must be a whole number from 0 to 4294967295")]
    [InlineData("\"seq\":1", "\"seq\":\"1\"", RejectReason.Malformed, "'seq' must be a whole number from 0 to 4294967295")]
    [InlineData("\"ts\":1764000000", "\"ts\":1.764e9", RejectReason.Malformed, "'ts' must be a whole number from 0 to 253402300799")]
    [InlineData("\"queued\":0", "\"queued\":2", RejectReason.Malformed, "'queued' must be a whole number from 0 to 1")]
    [InlineData("\"queued\":0", "\"queued\":false", RejectReason.Malformed, "'queued' must be a whole number from 0 to 1")]
    [InlineData("\"kind\":\"short\"", "\"kind\":\"double\"", RejectReason.Malformed, "'kind' must be \"short\" or \"long\"")]
    [InlineData("\"thing\":\"pizza-oven-1\"", "\"thing\":\"pizza/oven\"", RejectReason.Malformed, "'thing' must match [A-Za-z0-9_-]{1,64}")]
    [InlineData("\"sig\":\"5174", "\"sig\":\"5174FB", RejectReason.Malformed, "'sig' must be 64 lowercase hexadecimal characters")]
    [InlineData("\"held\":180", "\"held\":180,\"extra\":1", RejectReason.Malformed, "unexpected field 'extra'")]
    [InlineData("\"held\":180", "\"held\":180,\"held\":181", RejectReason.Malformed, "field 'held' appears twice")]
    [InlineData(",\"receivedAt\":1764000000150", "", RejectReason.Malformed, "missing field 'receivedAt'")]
    [InlineData("\"kind\":\"short\",", "", RejectReason.Malformed, "missing field 'kind'")]
    public void Each_field_is_checked_and_named(string find, string replace, RejectReason reason, string detail)
    {
        Assert.Contains(find, Valid);
        PressParseResult result = Parse(Valid.Replace(find, replace));
        Assert.False(result.IsValid);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public void Nested_values_are_refused()
    {
        PressParseResult result = Parse(Valid.Replace("\"held\":180", "\"held\":{\"a\":1}"));
        Assert.Equal(RejectReason.Malformed, result.Reason);
    }

    [Fact]
    public void Oversized_events_are_refused_unread()
    {
        string big = Valid[..^1] + ",\"pad\":\"" + new string('x', PressEventParser.MaxEventBytes) + "\"}";
        PressParseResult result = Parse(big);
        Assert.Equal(RejectReason.TooLarge, result.Reason);
    }

    [Fact]
    public void A_hostile_field_name_is_logged_bounded_and_printable()
    {
        PressParseResult result = Parse(Valid.Replace("\"held\":180", "\"held\":180,\"\\u0007\\u0007\\u0007" + new string('k', 100) + "\":1"));
        Assert.Equal(RejectReason.Malformed, result.Reason);
        Assert.StartsWith("unexpected field '???kkk", result.Detail);
        Assert.True(result.Detail!.Length < 60);
    }

    [Theory]
    [InlineData("\"thing\":\"pizza-oven-1\"", "\"thing\":\"pizza\\ud800\"")]
    [InlineData("\"held\":180", "\"held\":180,\"\\udc00\":1")]
    [InlineData("\"kind\":\"short\"", "\"kind\":\"sh\\ud83dort\"")]
    public void A_lone_surrogate_in_a_value_or_a_field_name_is_refused_not_thrown(string from, string to)
    {
        PressParseResult result = Parse(Valid.Replace(from, to));
        Assert.False(result.IsValid);
        Assert.Equal(RejectReason.Malformed, result.Reason);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_refused_not_thrown()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Valid.Replace("\"kind\":\"short\"", "\"kind\":\"shXrt\""));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3;
        PressParseResult result = PressEventParser.Parse(bytes);
        Assert.Equal(RejectReason.Malformed, result.Reason);
    }

    [Theory]
    [InlineData("\"receivedAt\":1764000000150", "\"receivedAt\":253402300800000")]
    [InlineData("\"receivedAt\":1764000000150", "\"receivedAt\":9223372036854775807")]
    [InlineData("\"ts\":1764000000", "\"ts\":253402300800")]
    public void A_time_beyond_what_a_date_holds_is_refused_not_thrown(string from, string to)
    {
        PressParseResult result = Parse(Valid.Replace(from, to));
        Assert.Equal(RejectReason.Malformed, result.Reason);
        Assert.Contains("whole number from 0 to", result.Detail);
    }

    [Fact]
    public void A_thing_name_with_a_trailing_line_feed_is_refused()
    {
        Assert.False(ThingNames.IsValid("pizza-oven-1\n"));
        Assert.True(ThingNames.IsValid("pizza-oven-1"));
        PressParseResult result = Parse(Valid.Replace("\"thing\":\"pizza-oven-1\"", "\"thing\":\"pizza-oven-1\\n\""));
        Assert.Equal(RejectReason.Malformed, result.Reason);
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_inside_a_string_value_never_throw(byte[] inserted)
    {
        // Random bytes rarely form JSON; spliced into a valid event they reach the string decoding.
        byte[] valid = Encoding.UTF8.GetBytes(Valid);
        int at = Valid.IndexOf("short", StringComparison.Ordinal) + 2;
        byte[] bytes = [.. valid[..at], .. inserted ?? Array.Empty<byte>(), .. valid[at..]];
        PressParseResult result = PressEventParser.Parse(bytes);
        return result.IsValid || result.Reason != null;
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_throw(byte[] bytes)
    {
        PressParseResult result = PressEventParser.Parse(bytes ?? Array.Empty<byte>());
        return result.IsValid || result.Reason != null;
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_changed_parses_or_is_refused_with_a_reason_never_thrown()
    {
        return Prop.ForAll(JsonMutations.Of(Valid), json =>
        {
            PressParseResult result = Parse(json);
            return result.IsValid || result.Reason != null;
        });
    }
}
