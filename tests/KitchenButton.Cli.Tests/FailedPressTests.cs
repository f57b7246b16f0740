using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Cli.Presses;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// `presses failed` reads whatever the two failure queues hold: each message decodes to a press to
/// replay or a reason it cannot be, never an exception that would stop the listing.
/// </summary>
public sealed class FailedPressTests
{
    private static readonly Press Press = PressEvents.Signed("pizza-oven-1", new byte[32], 2, 5, 1764000000);

    private static readonly string DestinationRecord = LocalServices.FailureRecord(
        new ResourceNames("dev").PressFunction, PressEvents.Event(Press), new RetryLaterException("Step Functions was down"), attempts: 3);

    private static readonly string RuleError = LocalServices.RuleErrorRecord("dev", Press, "Rate exceeded");

    [Theory]
    [InlineData(FailureSource.PressFailures)]
    [InlineData(FailureSource.RuleErrors)]
    public void The_messages_the_properties_start_from_are_replayable(FailureSource source)
    {
        FailedPress press = Decode(source, source == FailureSource.PressFailures ? DestinationRecord : RuleError);
        Assert.True(press.Problem == null, press.Problem);
        Assert.Equal(Press.Id, press.PressId);
        Assert.NotNull(press.Event);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_a_destination_record_changed_decodes_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(DestinationRecord), body => Decodes(FailureSource.PressFailures, body));
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_a_rule_error_changed_decodes_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(RuleError), body => Decodes(FailureSource.RuleErrors, body));
    }

    [Property(MaxTest = 500)]
    public bool Any_text_decodes_never_throws(string body)
    {
        return Decodes(FailureSource.PressFailures, body ?? string.Empty);
    }

    /// <summary>Decoded: either a press to replay, or a reason it cannot be.</summary>
    private static bool Decodes(FailureSource source, string body)
    {
        FailedPress press = Decode(source, body);
        return press.Event != null || press.Problem != null;
    }

    private static FailedPress Decode(FailureSource source, string body) =>
        FailedPress.Decode(source, "m-1", "r-1", body, DateTimeOffset.FromUnixTimeSeconds(1764000001));
}
