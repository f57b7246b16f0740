using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Testing;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Storage;

/// <summary>The stores' conditional writes, leases and TTL fields, on dynalite.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly DynaliteFixture _dynalite;
    private GatewayHarness _gw = null!;
    private DateTimeOffset _now;

    public DynamoStoreTests(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    public async Task InitializeAsync()
    {
        _gw = await GatewayHarness.CreateAsync(_dynalite.Dynalite);
        _now = _gw.Clock.Now;
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private DynamoPressLedger Ledger => new(_gw.Composition.Dynamo, _gw.Tables.PressLedger);

    [Fact]
    public async Task Claims_go_oldest_first_and_skip_claimed_tasks()
    {
        await _gw.EnqueueOrderAsync("s", "late", enqueuedAt: _now.AddSeconds(20));
        await _gw.EnqueueOrderAsync("s", "early", enqueuedAt: _now.AddSeconds(10));
        await _gw.EnqueueOrderAsync("s", "middle", enqueuedAt: _now.AddSeconds(15));

        PendingTask? a = await _gw.Pending.ClaimOldestAsync("s", "press-a", _now, Lease, CancellationToken.None);
        PendingTask? b = await _gw.Pending.ClaimOldestAsync("s", "press-b", _now, Lease, CancellationToken.None);
        PendingTask? c = await _gw.Pending.ClaimOldestAsync("s", "press-c", _now, Lease, CancellationToken.None);
        PendingTask? d = await _gw.Pending.ClaimOldestAsync("s", "press-d", _now, Lease, CancellationToken.None);

        Assert.Equal(new[] { "early", "middle", "late" }, new[] { a!.OrderId, b!.OrderId, c!.OrderId });
        Assert.Null(d);
        Assert.Equal(3, await _gw.Pending.CountAsync("s", _now, CancellationToken.None));
    }

    [Fact]
    public async Task A_released_or_lapsed_claim_can_be_taken_again_and_a_held_one_cannot()
    {
        await _gw.EnqueueOrderAsync("s", "only");
        PendingTask task = (await _gw.Pending.ClaimOldestAsync("s", "press-a", _now, Lease, CancellationToken.None))!;

        Assert.Null(await _gw.Pending.ClaimAsync("s", task.QueueKey, "press-b", _now, Lease, CancellationToken.None));
        Assert.NotNull(await _gw.Pending.ClaimAsync("s", task.QueueKey, "press-a", _now, Lease, CancellationToken.None));

        await _gw.Pending.ReleaseAsync("s", task.QueueKey, "press-a", CancellationToken.None);
        Assert.NotNull(await _gw.Pending.ClaimAsync("s", task.QueueKey, "press-b", _now, Lease, CancellationToken.None));

        DateTimeOffset later = _now + Lease + TimeSpan.FromSeconds(1);
        Assert.NotNull(await _gw.Pending.ClaimOldestAsync("s", "press-c", later, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_claimant_removes_a_task()
    {
        await _gw.EnqueueOrderAsync("s", "only");
        PendingTask task = (await _gw.Pending.ClaimOldestAsync("s", "press-a", _now, Lease, CancellationToken.None))!;
        await _gw.Pending.RemoveAsync("s", task.QueueKey, "press-b", CancellationToken.None);
        Assert.Equal(1, await _gw.Pending.CountAsync("s", _now, CancellationToken.None));
        await _gw.Pending.RemoveAsync("s", task.QueueKey, "press-a", CancellationToken.None);
        Assert.Equal(0, await _gw.Pending.CountAsync("s", _now, CancellationToken.None));
    }

    [Fact]
    public async Task The_ledger_admits_a_press_once_and_lets_a_retry_take_over_a_lapsed_lease()
    {
        LedgerEntry first = await Ledger.BeginAsync("t#1#1", "t", _now, TimeSpan.FromSeconds(60), CancellationToken.None);
        LedgerEntry concurrent = await Ledger.BeginAsync("t#1#1", "t", _now.AddSeconds(1), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, first.Status);
        Assert.Equal(LedgerStatus.InProgress, concurrent.Status);

        await Ledger.RecordClaimAsync("t#1#1", "q-1", "ord-1", CancellationToken.None);
        await Ledger.MarkAnswerMayHaveLandedAsync("t#1#1", CancellationToken.None);
        LedgerEntry retry = await Ledger.BeginAsync("t#1#1", "t", _now.AddSeconds(61), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, retry.Status);
        Assert.Equal("q-1", retry.ClaimedQueueKey);
        Assert.Equal("ord-1", retry.ClaimedOrderId);
        Assert.True(retry.AnswerMayHaveLanded);

        await Ledger.CompleteAsync("t#1#1", "resumed", "ord-1", _now, CancellationToken.None);
        LedgerEntry done = await Ledger.BeginAsync("t#1#1", "t", _now.AddHours(2), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Completed, done.Status);
        Assert.Equal("resumed", done.Result);
        Assert.Equal("ord-1", done.OrderId);
    }

    [Fact]
    public async Task Ledger_records_carry_a_ttl_well_beyond_the_freshness_window()
    {
        await Ledger.BeginAsync("t#2#1", "t", _now, TimeSpan.FromSeconds(60), CancellationToken.None);
        GetItemResponse item = await _gw.Composition.Dynamo.GetItemAsync(_gw.Tables.PressLedger, new Dictionary<string, AttributeValue> { ["pressId"] = new() { S = "t#2#1" } });
        long expiresAt = long.Parse(item.Item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((_now + TimeSpan.FromHours(24)).ToUnixTimeSeconds(), expiresAt);
    }

    [Fact]
    public async Task The_pending_table_is_keyed_by_station_and_queue_key_and_streams_keys_only()
    {
        DescribeTableResponse table = await _gw.Composition.Dynamo.DescribeTableAsync(_gw.Tables.PendingTasks);
        Assert.Equal(new[] { "stationId", "queueKey" }, table.Table.KeySchema.Select(k => k.AttributeName));

        // dynalite has no streams; the definition is what the stack and the local stack use.
        StreamSpecification stream = TableDefinitions.PendingTasks("x").StreamSpecification;
        Assert.True(stream.StreamEnabled);
        Assert.Equal("KEYS_ONLY", stream.StreamViewType.Value);
    }

    [Fact]
    public async Task Devices_are_listed_by_station_through_the_index()
    {
        await _gw.PairAsync("a", "pizza", new byte[32]);
        await _gw.PairAsync("b", "pizza", new byte[32], enabled: false, createStation: false);
        await _gw.PairAsync("c", "grill", new byte[32]);
        Assert.Equal(new[] { "a" }, await _gw.Directory.ListThingsAtStationAsync("pizza", CancellationToken.None));
        var device = await _gw.Directory.FindDeviceAsync("b", CancellationToken.None);
        Assert.False(device!.Enabled);
        Assert.Equal(32, device.Secret.Length);
        Assert.Null(await _gw.Directory.FindDeviceAsync("zz", CancellationToken.None));
    }
}
