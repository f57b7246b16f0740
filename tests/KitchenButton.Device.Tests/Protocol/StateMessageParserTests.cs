using System;
using System.Text;
using FsCheck.Xunit;
using KitchenButton.Device.Protocol;
using Xunit;

namespace KitchenButton.Device.Tests.Protocol;

public sealed class StateMessageParserTests
{
    private readonly StateMessageParser _parser = new();
    private readonly StateMessage _stateMessage = new();

    private bool Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return _parser.TryParse(bytes, bytes.Length, _stateMessage);
    }

    [Fact]
    public void Reads_the_pending_count_and_the_press_result()
    {
        Assert.True(Parse("{\"pending\":3,\"last\":{\"seq\":12,\"boot\":4,\"result\":\"resumed\",\"order\":\"ord-77\"}}"));
        Assert.Equal(3, _stateMessage.Pending);
        Assert.True(_stateMessage.HasLast);
        Assert.Equal(12u, _stateMessage.LastSeq);
        Assert.Equal(4u, _stateMessage.LastBoot);
        Assert.Equal(PressResult.Resumed, _stateMessage.LastResult);
    }

    [Theory]
    [InlineData("resumed", PressResult.Resumed)]
    [InlineData("problem-reported", PressResult.ProblemReported)]
    [InlineData("no-pending", PressResult.NoPending)]
    [InlineData("rejected", PressResult.Rejected)]
    [InlineData("duplicate", PressResult.Duplicate)]
    [InlineData("something-new", PressResult.Unknown)]
    public void Maps_every_result(string text, PressResult expected)
    {
        Assert.True(Parse("{\"pending\":0,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"" + text + "\"}}"));
        Assert.Equal(expected, _stateMessage.LastResult);
    }

    [Fact]
    public void A_count_only_update_has_no_result()
    {
        Assert.True(Parse(" {\n \"pending\" : 5 } "));
        Assert.Equal(5, _stateMessage.Pending);
        Assert.False(_stateMessage.HasLast);
        Assert.True(Parse("{\"pending\":1,\"last\":null}"));
        Assert.False(_stateMessage.HasLast);
    }

    [Fact]
    public void Unknown_fields_of_any_shape_are_ignored()
    {
        Assert.True(Parse("{\"station\":\"pizza\",\"x\":[1,2.5e3,{\"a\":[true,false,null]}],\"pending\":2,"
            + "\"last\":{\"result\":\"no-pending\",\"extra\":{\"deep\":\"\\u00e9\\\"q\"},\"seq\":9,\"boot\":2},\"v\":-1.5}"));
        Assert.Equal(2, _stateMessage.Pending);
        Assert.Equal(PressResult.NoPending, _stateMessage.LastResult);
        Assert.Equal(9u, _stateMessage.LastSeq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"pending\":-1}")]
    [InlineData("{\"pending\":1.5}")]
    [InlineData("{\"pending\":\"3\"}")]
    [InlineData("{\"pending\":01}")]
    [InlineData("{\"pending\":99999999999}")]
    [InlineData("{\"pending\":1")]
    [InlineData("{\"pending\":1}}")]
    [InlineData("{\"pending\":1} trailing")]
    [InlineData("{\"pending\":1,}")]
    [InlineData("{pending:1}")]
    [InlineData("{\"pending\":1,\"last\":{\"seq\":1,\"boot\":1}}")]
    [InlineData("{\"pending\":1,\"last\":{\"seq\":1,\"boot\":4294967296,\"result\":\"resumed\"}}")]
    [InlineData("{\"pending\":1,\"last\":{\"seq\":1,\"boot\":1,\"result\":7}}")]
    [InlineData("{\"pending\":1,\"last\":[1]}")]
    [InlineData("{\"pending\":1,\"x\":\"unterminated}")]
    [InlineData("{\"pending\":1,\"x\":\"bad \\q escape\"}")]
    [InlineData("{\"pending\":1,\"x\":tru}")]
    public void Malformed_input_is_refused_without_throwing(string json)
    {
        Assert.False(Parse(json));
    }

    [Fact]
    public void Deep_nesting_is_refused_not_recursed_into()
    {
        string deep = "{\"pending\":1,\"x\":" + new string('[', 200) + new string(']', 200) + "}";
        Assert.False(Parse(deep));
    }

    [Fact]
    public void Oversized_messages_are_refused_unread()
    {
        string big = "{\"pending\":1,\"pad\":\"" + new string('a', StateMessageParser.MaxMessageBytes) + "\"}";
        Assert.False(Parse(big));
    }

    [Fact]
    public void Only_the_given_count_of_bytes_is_read()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("{\"pending\":4}GARBAGE");
        Assert.True(_parser.TryParse(bytes, 13, _stateMessage));
        Assert.Equal(4, _stateMessage.Pending);
        Assert.False(_parser.TryParse(bytes, bytes.Length + 1, _stateMessage));
    }

    [Property(MaxTest = 1000)]
    public bool Random_bytes_never_throw(byte[] bytes)
    {
        bytes ??= Array.Empty<byte>();
        _parser.TryParse(bytes, bytes.Length, _stateMessage);
        return true;
    }

    [Property(MaxTest = 500)]
    public bool Any_valid_message_round_trips(uint pending, uint seq, uint boot)
    {
        int p = (int)(pending % int.MaxValue);
        return Parse("{\"pending\":" + p + ",\"last\":{\"seq\":" + seq + ",\"boot\":" + boot + ",\"result\":\"rejected\"}}")
            && _stateMessage.Pending == p && _stateMessage.LastSeq == seq && _stateMessage.LastBoot == boot;
    }
}
