using System;
using KitchenButton.Pairing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Pairing;

public sealed class CommandLineTests
{
    [Fact]
    public void Commands_positionals_options_and_flags_are_told_apart()
    {
        CommandLine line = CommandLine.Parse(new[] { "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "Kitchen WiFi", "--force", "--environment", "prod" });
        Assert.Equal("pair", line.Command);
        Assert.Equal(new[] { "pizza-oven-1", "pizza" }, line.Positionals);
        Assert.Equal("Kitchen WiFi", line.Get("--wifi-ssid"));
        Assert.Equal("prod", line.Get("--environment"));
        Assert.True(line.Has("--force"));
        Assert.Null(line.Get("--out"));
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "pair", "--wifi-ssid" }, "--wifi-ssid needs a value")]
    [InlineData(new[] { "pair", "--wifi-sid", "x" }, "unknown option --wifi-sid")]
    public void Mistakes_are_named(string[] args, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => CommandLine.Parse(args)).Message);
    }
}
