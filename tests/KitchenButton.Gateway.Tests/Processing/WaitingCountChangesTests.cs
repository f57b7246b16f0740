using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Processing;

/// <summary>
/// The pending-task table's stream batch, read by the notifier (record shape from
/// https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): whatever one record holds, the
/// stations of the others are still read, the record is counted with a reason, nothing throws.
/// </summary>
public sealed class WaitingCountChangesTests
{
    private const string StationKey = "{\"S\":\"pizza\"}";
    private const string Keys = "{\"stationId\":" + StationKey + ",\"queueKey\":{\"S\":\"2026-11-25T12:00:00.000Z#ord-1\"}}";
    private const string Change = "{\"ApproximateCreationDateTime\":1795608000,\"Keys\":" + Keys + ",\"SequenceNumber\":\"111\",\"SizeBytes\":60,\"StreamViewType\":\"KEYS_ONLY\"}";
    private const string Record = "{\"eventID\":\"c4ca4238a0b923820dcc509a6f75849b\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-1\",\"dynamodb\":" + Change
        + ",\"eventSourceARN\":\"arn:aws:dynamodb:eu-west-1:123456789012:table/kitchenbutton-dev-pending-tasks/stream/2026-11-25T00:00:00.000\"}";

    /// <summary>A record left as it is, at another station: its station must come through whatever its neighbour holds.</summary>
    private static readonly string Intact = Record.Replace("\"INSERT\"", "\"REMOVE\"", StringComparison.Ordinal).Replace("\"pizza\"", "\"grill\"", StringComparison.Ordinal);

    private static WaitingCountChanges Batch(string record) =>
        WaitingCountChanges.Parse(Encoding.UTF8.GetBytes("{\"Records\":[" + record + "," + Intact + "]}"));

    [Fact]
    public void The_batch_the_properties_start_from_names_both_stations_and_a_claim_none()
    {
        WaitingCountChanges changes = Batch(Record);
        Assert.Equal(new[] { "grill", "pizza" }, changes.Stations);
        Assert.Equal(0, changes.Unreadable);
        Assert.Null(changes.Problem);

        WaitingCountChanges claim = Batch(Record.Replace("\"INSERT\"", "\"MODIFY\"", StringComparison.Ordinal));
        Assert.Equal(new[] { "grill" }, claim.Stations);
        Assert.Equal(0, claim.Unreadable);
    }

    [Theory]
    [InlineData("[]", "Records array")]
    [InlineData("{}", "Records array")]
    [InlineData("{\"Records\":{}}", "Records array")]
    [InlineData("{\"Records\":[", "unreadable event")]
    public void An_event_that_is_no_batch_is_one_unreadable_with_its_reason(string json, string reason)
    {
        WaitingCountChanges changes = WaitingCountChanges.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Empty(changes.Stations);
        Assert.Equal(1, changes.Unreadable);
        Assert.Contains(reason, changes.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7", "not an object")]
    [InlineData("{\"eventName\":\"UPSERT\",\"dynamodb\":{\"Keys\":{\"stationId\":{\"S\":\"pizza\"}}}}", "eventName")]
    [InlineData("{\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{\"stationId\":{\"N\":\"7\"}}}}", "no stationId key")]
    [InlineData("{\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"stationId\":{\"S\":\"\"}}}}", "no stationId key")]
    public void A_record_it_cannot_read_is_counted_with_its_reason_and_the_others_still_read(string record, string reason)
    {
        WaitingCountChanges changes = Batch(record);
        Assert.Equal(new[] { "grill" }, changes.Stations);
        Assert.Equal(1, changes.Unreadable);
        Assert.Contains(reason, changes.Problem, StringComparison.Ordinal);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_a_record_changed_leaves_the_other_records_station_and_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(Record), record => ReadsTheOther(Batch(record)));
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_its_change_changed_leaves_the_other_records_station_and_never_throws()
    {
        return Prop.ForAll(JsonMutations.Of(Change), change => ReadsTheOther(Batch(Record.Replace(Change, change, StringComparison.Ordinal))));
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_its_keys_or_station_key_changed_leaves_the_other_records_station_and_never_throws()
    {
        Arbitrary<string> keys = JsonMutations.Of(Keys);
        Arbitrary<string> station = JsonMutations.Of(StationKey);
        return Prop.ForAll(keys, station, (k, s) =>
            ReadsTheOther(Batch(Record.Replace(Keys, k, StringComparison.Ordinal)))
            && ReadsTheOther(Batch(Record.Replace(StationKey, s, StringComparison.Ordinal))));
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_throw(byte[] bytes)
    {
        WaitingCountChanges changes = WaitingCountChanges.Parse(bytes ?? Array.Empty<byte>());
        return changes.Unreadable == 0 || changes.Problem != null;
    }

    /// <summary>
    /// The intact record's station read, the mutated one read or counted once with a reason; or the
    /// batch is no JSON the reader takes (nesting deeper than its 64 levels: AWS's keys-only records
    /// are six deep), one unreadable event — never a record's own check failing the whole batch.
    /// </summary>
    private static bool ReadsTheOther(WaitingCountChanges changes) =>
        changes.Problem == "unreadable event: JsonReaderException" || changes.Problem == "unreadable event: JsonException"
            ? changes.Unreadable == 1 && changes.Stations.Count == 0
            : changes.Stations.Contains("grill") && changes.Unreadable <= 1 && (changes.Unreadable == 0) == (changes.Problem == null);
}
