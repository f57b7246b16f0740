using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Storage;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Storage;

/// <summary>The stores' conditional writes, leases and TTL fields, on dynalite.</summary>
public sealed class DynamoStoreTests : GatewayTestBase
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public DynamoStoreTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    private DateTimeOffset Start => Gw.Now;

    private DynamoPressLedger Ledger => new(Gw.Composition.DynamoJson, Gw.Tables.PressLedger);

    /// <summary>What a press does: read the queue once, then claim the first task it still can.</summary>
    private async Task<Ticket?> ClaimOldestAsync(string stationId, string claimant, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        StationQueue queue = await Gw.Pending.ReadAsync(stationId, claimant, parkedBy: now, now, cancellationToken);
        foreach (Ticket candidate in queue.Claimable)
        {
            if (await Gw.Pending.ClaimAsync(stationId, candidate.QueueKey, candidate.TaskToken, claimant, now, lease, cancellationToken) is Ticket claimed)
            {
                return claimed;
            }
        }

        return null;
    }

    [Fact]
    public async Task Claims_go_oldest_first_and_skip_claimed_tasks()
    {
        await Gw.EnqueueOrderAsync("s", "late", enqueuedAt: Start.AddSeconds(20));
        await Gw.EnqueueOrderAsync("s", "early", enqueuedAt: Start.AddSeconds(10));
        await Gw.EnqueueOrderAsync("s", "middle", enqueuedAt: Start.AddSeconds(15));

        Ticket? a = await ClaimOldestAsync("s", "press-a", Start, Lease, CancellationToken.None);
        Ticket? b = await ClaimOldestAsync("s", "press-b", Start, Lease, CancellationToken.None);
        Ticket? c = await ClaimOldestAsync("s", "press-c", Start, Lease, CancellationToken.None);
        Ticket? d = await ClaimOldestAsync("s", "press-d", Start, Lease, CancellationToken.None);

        Assert.Equal(new[] { "early", "middle", "late" }, new[] { a!.OrderId, b!.OrderId, c!.OrderId });
        Assert.Null(d);
        Assert.Equal(3, await Gw.Pending.CountAsync("s", Start, CancellationToken.None));
    }

    [Fact]
    public async Task A_released_or_lapsed_claim_can_be_taken_again_and_a_held_one_cannot()
    {
        await Gw.EnqueueOrderAsync("s", "only");
        Ticket task = (await ClaimOldestAsync("s", "press-a", Start, Lease, CancellationToken.None))!;

        Assert.Null(await Gw.Pending.ClaimAsync("s", task.QueueKey, task.TaskToken, "press-b", Start, Lease, CancellationToken.None));
        Assert.NotNull(await Gw.Pending.ClaimAsync("s", task.QueueKey, task.TaskToken, "press-a", Start, Lease, CancellationToken.None));

        await Gw.Pending.ReleaseAsync("s", task.QueueKey, "press-a", CancellationToken.None);
        Assert.NotNull(await Gw.Pending.ClaimAsync("s", task.QueueKey, task.TaskToken, "press-b", Start, Lease, CancellationToken.None));

        DateTimeOffset later = Start + Lease + TimeSpan.FromSeconds(1);
        Assert.NotNull(await ClaimOldestAsync("s", "press-c", later, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_claimant_removes_a_task_and_only_the_item_with_its_token()
    {
        await Gw.EnqueueOrderAsync("s", "only");
        Ticket task = (await ClaimOldestAsync("s", "press-a", Start, Lease, CancellationToken.None))!;
        await Gw.Pending.RemoveAsync("s", task.QueueKey, task.TaskToken, "press-b", CancellationToken.None);
        Assert.Equal(1, await Gw.Pending.CountAsync("s", Start, CancellationToken.None));
        await Gw.Pending.RemoveAsync("s", task.QueueKey, "an-older-token", "press-a", CancellationToken.None);
        Assert.Equal(1, await Gw.Pending.CountAsync("s", Start, CancellationToken.None));
        await Gw.Pending.RemoveAsync("s", task.QueueKey, task.TaskToken, "press-a", CancellationToken.None);
        Assert.Equal(0, await Gw.Pending.CountAsync("s", Start, CancellationToken.None));
    }

    [Fact]
    public async Task A_reparked_order_under_the_same_queue_key_is_another_task()
    {
        DateTimeOffset at = Start.AddSeconds(5);
        await Gw.EnqueueOrderAsync("s", "ord-1", enqueuedAt: at);
        Ticket first = (await ClaimOldestAsync("s", "press-a", Start, Lease, CancellationToken.None))!;

        // The workflow times the wait out and parks the order again: same key, new token.
        await Gw.EnqueueOrderAsync("s", "ord-1", enqueuedAt: at);
        Assert.Null(await Gw.Pending.ClaimAsync("s", first.QueueKey, first.TaskToken, "press-a", Start, Lease, CancellationToken.None));
        await Gw.Pending.RemoveAsync("s", first.QueueKey, first.TaskToken, "press-a", CancellationToken.None);
        Assert.Equal(1, await Gw.Pending.CountAsync("s", Start, CancellationToken.None));
    }

    [Fact]
    public async Task No_number_of_expired_items_hides_a_live_order()
    {
        for (int i = 0; i < 150; i++)
        {
            await Gw.EnqueueOrderAsync("s", "old-" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture), timeout: TimeSpan.FromMinutes(1), enqueuedAt: Start.AddHours(-2).AddSeconds(i));
        }

        await Gw.EnqueueOrderAsync("s", "live");
        Ticket? task = await ClaimOldestAsync("s", "press-a", Start, Lease, CancellationToken.None);
        Assert.Equal("live", task?.OrderId);
    }

    [Fact]
    public async Task The_ledger_admits_a_press_once_and_lets_a_retry_take_over_a_lapsed_lease()
    {
        LedgerEntry first = await Ledger.BeginAsync("t#1#1", "t", "sig-1", "inv-1", Start, TimeSpan.FromSeconds(60), CancellationToken.None);
        LedgerEntry concurrent = await Ledger.BeginAsync("t#1#1", "t", "sig-1", "inv-2", Start.AddSeconds(1), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, first.Status);
        Assert.Equal(LedgerStatus.InProgress, concurrent.Status);

        await Ledger.RecordClaimAsync("t#1#1", new Ticket("s", "q-1", "ord-1", "1x", "token-1", Start.AddHours(1), "arn:exec-1"), CancellationToken.None);
        LedgerEntry retry = await Ledger.BeginAsync("t#1#1", "t", "sig-1", "inv-3", Start.AddSeconds(61), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, retry.Status);
        Assert.Equal(new ClaimedTask("q-1", "ord-1", "token-1", "arn:exec-1"), retry.Claim);

        await Ledger.ClearClaimAsync("t#1#1", CancellationToken.None);
        Assert.Null((await Ledger.BeginAsync("t#1#1", "t", "sig-1", "inv-3", Start.AddSeconds(62), TimeSpan.FromSeconds(60), CancellationToken.None)).Claim);

        await Ledger.CompleteAsync("t#1#1", PressResult.Resumed, "ord-1", Start, CancellationToken.None);
        LedgerEntry done = await Ledger.BeginAsync("t#1#1", "t", "sig-1", "inv-4", Start.AddHours(2), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Completed, done.Status);
        Assert.Equal(PressResult.Resumed, done.Result);
        Assert.Equal("ord-1", done.OrderId);
    }

    [Fact]
    public async Task The_owners_own_write_retried_by_the_sdk_is_still_its_own()
    {
        // The put landed but its answer was lost; the SDK sends it again and the condition fails.
        LedgerEntry first = await Ledger.BeginAsync("t#3#1", "t", "sig", "inv-1", Start, TimeSpan.FromSeconds(60), CancellationToken.None);
        LedgerEntry again = await Ledger.BeginAsync("t#3#1", "t", "sig", "inv-1", Start, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, first.Status);
        Assert.Equal(LedgerStatus.Acquired, again.Status);
        Assert.Equal(LedgerStatus.InProgress, (await Ledger.BeginAsync("t#3#1", "t", "sig", "inv-2", Start, TimeSpan.FromSeconds(60), CancellationToken.None)).Status);

        // A lease is ended only by its owner.
        await Ledger.ReleaseLeaseAsync("t#3#1", "inv-2", CancellationToken.None);
        Assert.Equal(LedgerStatus.InProgress, (await Ledger.BeginAsync("t#3#1", "t", "sig", "inv-3", Start, TimeSpan.FromSeconds(60), CancellationToken.None)).Status);
        await Ledger.ReleaseLeaseAsync("t#3#1", "inv-1", CancellationToken.None);
        Assert.Equal(LedgerStatus.Acquired, (await Ledger.BeginAsync("t#3#1", "t", "sig", "inv-3", Start, TimeSpan.FromSeconds(60), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task An_id_seen_with_another_fingerprint_is_a_reused_id_in_progress_or_done()
    {
        await Ledger.BeginAsync("t#4#1", "t", "sig-old", "inv-1", Start, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(LedgerStatus.Reused, (await Ledger.BeginAsync("t#4#1", "t", "sig-new", "inv-2", Start.AddMinutes(5), TimeSpan.FromSeconds(60), CancellationToken.None)).Status);
        await Ledger.CompleteAsync("t#4#1", PressResult.Resumed, "ord-1", Start, CancellationToken.None);
        Assert.Equal(LedgerStatus.Reused, (await Ledger.BeginAsync("t#4#1", "t", "sig-new", "inv-3", Start.AddMinutes(6), TimeSpan.FromSeconds(60), CancellationToken.None)).Status);
        Assert.Equal(LedgerStatus.Completed, (await Ledger.BeginAsync("t#4#1", "t", "sig-old", "inv-4", Start.AddMinutes(6), TimeSpan.FromSeconds(60), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Ledger_records_carry_a_ttl_well_beyond_the_freshness_window()
    {
        await Ledger.BeginAsync("t#2#1", "t", "sig", "inv", Start, TimeSpan.FromSeconds(60), CancellationToken.None);
        GetItemResponse item = await Gw.Composition.Dynamo.GetItemAsync(Gw.Tables.PressLedger, new Dictionary<string, AttributeValue> { ["pressId"] = new() { S = "t#2#1" } });
        long expiresAt = long.Parse(item.Item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((Start + TimeSpan.FromHours(24)).ToUnixTimeSeconds(), expiresAt);
    }

    [Fact]
    public async Task The_pending_table_is_keyed_by_station_and_queue_key_and_streams_keys_only()
    {
        DescribeTableResponse table = await Gw.Composition.Dynamo.DescribeTableAsync(Gw.Tables.Tickets);
        Assert.Equal(new[] { "stationId", "queueKey" }, table.Table.KeySchema.Select(k => k.AttributeName));

        // dynalite has no streams; the definition is what the stack and the local stack use.
        StreamSpecification stream = TableDefinitions.Tickets("x").StreamSpecification;
        Assert.True(stream.StreamEnabled);
        Assert.Equal("KEYS_ONLY", stream.StreamViewType.Value);
    }

    [Fact]
    public async Task Devices_are_listed_by_station_through_the_index()
    {
        await Gw.PairAsync("a", "pizza", new byte[32]);
        await Gw.PairAsync("b", "pizza", new byte[32], enabled: false, createStation: false);
        await Gw.PairAsync("c", "grill", new byte[32]);
        Assert.Equal(new[] { "a" }, await Gw.Directory.ListThingsAtStationAsync("pizza", CancellationToken.None));
        var device = await Gw.Directory.FindDeviceAsync("b", CancellationToken.None);
        Assert.False(device!.Enabled);
        Assert.Equal(32, device.Secret.Length);
        Assert.Null(await Gw.Directory.FindDeviceAsync("zz", CancellationToken.None));
    }
}
