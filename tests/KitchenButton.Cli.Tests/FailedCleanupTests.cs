using System;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Cli.Cleanups;
using KitchenButton.Cli.Failures;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// `cleanups failed` reads whatever the cleanup-failures queue holds: each message decodes to an
/// ended execution to replay or a reason it cannot be, never an exception that would stop the listing.
/// </summary>
public sealed class FailedCleanupTests
{
    /// <summary>EventBridge's "Step Functions Execution Status Change" event, as its dead letter holds it.</summary>
    private const string Ended = "{\"version\":\"0\",\"id\":\"315c1398-40ff-a850-213b-158f73e60175\",\"detail-type\":\"Step Functions Execution Status Change\","
        + "\"source\":\"aws.states\",\"account\":\"123456789012\",\"time\":\"2026-12-01T06:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],"
        + "\"detail\":{\"executionArn\":\"arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-7\",\"status\":\"ABORTED\","
        + "\"input\":\"{\\\"orderId\\\":\\\"ord-7\\\",\\\"station\\\":\\\"pizza\\\"}\"}}";

    /// <summary>Lambda's failure record of the same event, as the function's on-failure destination holds it.</summary>
    private static readonly string LambdaRecord = LocalServices.FailureRecord(
        new ResourceNames("dev").CleanupFunction, Encoding.UTF8.GetBytes(Ended), new TimeoutException("Task timed out after 30.00 seconds"), attempts: 3);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_messages_the_properties_start_from_are_replayable(bool lambda)
    {
        FailedCleanup cleanup = Decode(lambda ? LambdaRecord : Ended);
        Assert.True(cleanup.Problem == null, cleanup.Problem);
        Assert.Equal("ABORTED", cleanup.Status);
        Assert.Equal("pizza", cleanup.Stations);
        Assert.NotNull(cleanup.Event);
    }

    [Fact]
    public void A_record_whose_error_message_is_no_text_still_replays_its_event()
    {
        FailedCleanup cleanup = Decode(WithMember(LambdaRecord, "responsePayload", "{\"errorType\":\"\\ud800\",\"errorMessage\":\"\\udfff\"}"));
        Assert.True(cleanup.Problem == null, cleanup.Problem);
        Assert.NotNull(cleanup.Event);
        Assert.StartsWith("RetriesExhausted after 3 attempts", cleanup.Why, StringComparison.Ordinal);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_a_lambda_failure_record_changed_decodes_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(LambdaRecord), body => Decodes(body));
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_the_records_request_context_or_response_changed_decodes_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(Member(LambdaRecord, "requestContext")), JsonMutations.Of(Member(LambdaRecord, "responsePayload")), (context, response) =>
            Decodes(WithMember(LambdaRecord, "requestContext", context)) && Decodes(WithMember(LambdaRecord, "responsePayload", response)));
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_a_dead_lettered_event_changed_decodes_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(Ended), body => Decodes(body));
    }

    [Property(MaxTest = 500)]
    public bool Any_text_decodes_never_throws(string body)
    {
        return Decodes(body ?? string.Empty);
    }

    /// <summary>Decoded: either an event to replay, or a reason it cannot be.</summary>
    private static bool Decodes(string body)
    {
        FailedCleanup cleanup = Decode(body);
        return cleanup.Event != null || cleanup.Problem != null;
    }

    private static string Member(string json, string name) => JsonNode.Parse(json)![name]!.ToJsonString();

    /// <summary>The object with one member's value replaced by raw JSON text (which may not parse: then the text as it is).</summary>
    private static string WithMember(string json, string name, string raw)
    {
        const string Marker = "\"@@member@@\"";
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        root[name] = "@@member@@";
        return root.ToJsonString().Replace(Marker, raw, StringComparison.Ordinal);
    }

    private static FailedCleanup Decode(string body) => FailedCleanup.Decode(new QueuedFailure("m-1", "r-1", body, DateTimeOffset.FromUnixTimeSeconds(1764000001)));
}
