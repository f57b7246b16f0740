using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Storage;
using KitchenButton.Testing;
using Xunit;
using DeviceStateMessage = KitchenButton.Device.Protocol.StateMessage;
using StateMessageParser = KitchenButton.Device.Protocol.StateMessageParser;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// Buttons told how many orders wait at their station outside the notifier's stream: `station sync`
/// after missed updates, and a button paired, moved or enabled. What a button reads is the retained
/// state message on its topic, checked with the firmware's own parser.
/// </summary>
[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class CountSyncTests : IAsyncLifetime
{
    private static readonly byte[] Secret = new byte[32];

    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public CountSyncTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        _stack = await OperatorStack.StartAsync(_fixture.Dynalite);
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "pizza")).ExitCode);
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "grill")).ExitCode);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task A_sync_tells_each_button_of_the_named_station_what_the_press_handler_would_count_and_no_other_button()
    {
        await _stack.Gateway.PairAsync("pizza-1", "pizza", Secret, createStation: false);
        await _stack.Gateway.PairAsync("pizza-2", "pizza", Secret, createStation: false);
        await _stack.Gateway.PairAsync("pizza-off", "pizza", Secret, enabled: false, createStation: false);
        await _stack.Gateway.PairAsync("grill-1", "grill", Secret, createStation: false);
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-1");
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-2");

        // Parked and timed out an hour ago: the token is dead, so no press would answer it.
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-old", TimeSpan.FromMinutes(5), enqueuedAt: _stack.Gateway.Now.AddHours(-1));

        CliRun sync = await _stack.RunAsync("station", "sync", "pizza", "-o", "json");
        Assert.True(sync.ExitCode == 0, sync.Error);
        JsonElement row = Assert.Single(JsonDocument.Parse(sync.Output).RootElement.EnumerateArray());
        Assert.Equal("pizza", row.GetProperty("station").GetString());
        Assert.Equal(2, row.GetProperty("waiting").GetInt32());
        Assert.Equal(2, row.GetProperty("buttons").GetInt32());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("error").ValueKind);

        Assert.Equal(2, await _stack.Gateway.PendingAtAsync("pizza"));
        Assert.Equal(2, PendingShownBy("pizza-1"));
        Assert.Equal(2, PendingShownBy("pizza-2"));

        // A disabled board cannot connect; the grill's button is another station's.
        Assert.Null(_stack.Aws.Retained(StateMessage.Topic("pizza-off")));
        Assert.Null(_stack.Aws.Retained(StateMessage.Topic("grill-1")));
        Assert.All(_stack.Aws.Publishes, p => Assert.True(p.Retain && p.Qos == 1, p.Topic));
    }

    [Fact]
    public async Task A_sync_of_every_station_replaces_a_stale_count_and_tells_an_empty_station_zero()
    {
        await _stack.Gateway.PairAsync("pizza-1", "pizza", Secret, createStation: false);
        await _stack.Gateway.PairAsync("grill-1", "grill", Secret, createStation: false);
        await _stack.Gateway.EnqueueOrderAsync("grill", "ord-1");
        Assert.Equal(0, (await _stack.RunAsync("station", "sync", "--all")).ExitCode);
        Assert.Equal(0, PendingShownBy("pizza-1"));
        Assert.Equal(1, PendingShownBy("grill-1"));

        // Orders came and went while no update reached the buttons (the notifier failing).
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-2");
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-3");
        await WithdrawOldestAsync("grill");

        CliRun sync = await _stack.RunAsync("station", "sync", "--all");
        Assert.True(sync.ExitCode == 0, sync.Error);
        Assert.Contains("pizza", sync.Output);
        Assert.Contains("grill", sync.Output);
        Assert.Equal(2, PendingShownBy("pizza-1"));
        Assert.Equal(0, PendingShownBy("grill-1"));
    }

    [Fact]
    public async Task A_sync_naming_a_station_that_does_not_exist_tells_no_button_and_a_sync_naming_none_is_a_usage_error()
    {
        await _stack.Gateway.PairAsync("pizza-1", "pizza", Secret, createStation: false);

        CliRun typo = await _stack.RunAsync("station", "sync", "pizza", "piza");
        Assert.Equal(ExitCodes.Failed, typo.ExitCode);
        Assert.Contains("no station 'piza'", typo.Error);
        Assert.Empty(_stack.Aws.Publishes);

        CliRun none = await _stack.RunAsync("station", "sync");
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("--all", none.Error);

        CliRun both = await _stack.RunAsync("station", "sync", "pizza", "--all");
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Empty(_stack.Aws.Publishes);
    }

    [Fact]
    public async Task A_station_whose_buttons_cannot_be_told_is_reported_in_its_row_the_others_are_still_told_and_the_exit_code_says_so()
    {
        await _stack.Gateway.PairAsync("pizza-1", "pizza", Secret, createStation: false);
        await _stack.Gateway.PairAsync("grill-1", "grill", Secret, createStation: false);
        await _stack.Gateway.EnqueueOrderAsync("grill", "ord-1");

        // Every attempt the publisher makes at the first station's button fails (IoT's 500s), then IoT is well.
        _stack.Aws.InjectPublishFaults(3);
        CliRun sync = await _stack.RunAsync("station", "sync", "grill", "pizza", "-o", "json");
        Assert.Equal(ExitCodes.Failed, sync.ExitCode);
        JsonElement[] rows = JsonDocument.Parse(sync.Output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["grill", "pizza"], rows.Select(r => r.GetProperty("station").GetString()));
        Assert.Contains("InternalFailureException", rows[0].GetProperty("error").GetString());
        Assert.Null(_stack.Aws.Retained(StateMessage.Topic("grill-1")));
        Assert.Equal(0, rows[1].GetProperty("waiting").GetInt32());
        Assert.Equal(0, PendingShownBy("pizza-1"));

        // Refused by IAM (the data plane says only "Forbidden"): the operator is told which policy grants it.
        _stack.Aws.Calls.Deny("iot:RetainPublish");
        CliRun refused = await _stack.RunAsync("station", "sync", "grill", "-o", "json");
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        string error = JsonDocument.Parse(refused.Output).RootElement[0].GetProperty("error").GetString()!;
        Assert.Contains("ForbiddenException", error);
        Assert.Contains("kitchenbutton-" + _stack.Environment + "-operator", error);
        Assert.Null(_stack.Aws.Retained(StateMessage.Topic("grill-1")));

        _stack.Aws.Calls.Allow("iot:RetainPublish");
        Assert.Equal(0, (await _stack.RunAsync("station", "sync", "grill")).ExitCode);
        Assert.Equal(1, PendingShownBy("grill-1"));
    }

    [Fact]
    public async Task A_button_paired_moved_or_enabled_is_told_the_count_of_its_station_at_once()
    {
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-1");
        await _stack.Gateway.EnqueueOrderAsync("grill", "ord-2");
        await _stack.Gateway.EnqueueOrderAsync("grill", "ord-3");

        CliRun paired = await PairAsync("oven-1", "pizza");
        Assert.True(paired.ExitCode == 0, paired.Error);
        Assert.Contains("told oven-1 that 1 order(s) wait at pizza", paired.Output);
        Assert.Equal(1, PendingShownBy("oven-1"));

        CliRun moved = await _stack.RunAsync("device", "move", "oven-1", "--to", "grill");
        Assert.True(moved.ExitCode == 0, moved.Error);
        Assert.Equal(2, PendingShownBy("oven-1"));

        Assert.Equal(0, (await _stack.RunAsync("device", "disable", "oven-1")).ExitCode);
        await _stack.Gateway.EnqueueOrderAsync("grill", "ord-4");
        CliRun enabled = await _stack.RunAsync("device", "enable", "oven-1");
        Assert.True(enabled.ExitCode == 0, enabled.Error);
        Assert.Equal(3, PendingShownBy("oven-1"));
    }

    [Fact]
    public async Task A_button_paired_while_its_count_cannot_be_published_is_paired_and_the_operator_is_told_how_to_tell_it_later()
    {
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-1");
        _stack.Aws.Calls.Deny("iot:Publish");

        CliRun paired = await PairAsync("oven-1", "pizza");
        Assert.True(paired.ExitCode == 0, paired.Error);
        Assert.Equal("pizza", _stack.Aws.Iot.Things["oven-1"]);
        Assert.True(File.Exists(Path.Combine(_stack.Folder, "certs", "oven-1", "device.secret")));
        Assert.Contains("warning: oven-1 was not told how many orders wait at pizza", paired.Error);
        Assert.Contains("`kitchenbutton station sync pizza --local`", paired.Error);
        Assert.Null(_stack.Aws.Retained(StateMessage.Topic("oven-1")));

        _stack.Aws.Calls.Allow("iot:Publish");
        Assert.Equal(0, (await _stack.RunAsync("station", "sync", "pizza")).ExitCode);
        Assert.Equal(1, PendingShownBy("oven-1"));
    }

    /// <summary>Deletes a station's oldest ticket behind the gateway's back, as an order ending elsewhere would.</summary>
    private async Task WithdrawOldestAsync(string stationId)
    {
        StationQueue queue = await _stack.Gateway.Pending.ReadAsync(stationId, "test", DateTimeOffset.MaxValue, _stack.Gateway.Now, default);
        await _stack.Gateway.Composition.Dynamo.DeleteItemAsync(_stack.Gateway.Tables.Tickets, new Dictionary<string, AttributeValue>
        {
            [Attributes.StationId] = new() { S = stationId },
            [Attributes.QueueKey] = new() { S = queue.Claimable[0].QueueKey },
        });
    }

    private Task<CliRun> PairAsync(string thing, string station) =>
        _stack.RunWithInputAsync("pw\n", "device", "pair", thing, station, "--wifi-ssid", "Kitchen", "--wifi-password-file", "-", "--out", Path.Combine(_stack.Folder, "certs"));

    /// <summary>The count a button shows for the retained state message on its topic, read with the firmware's parser.</summary>
    private int PendingShownBy(string thing)
    {
        string retained = _stack.Aws.Retained(StateMessage.Topic(thing)) ?? throw new Xunit.Sdk.XunitException(thing + " has no retained state message");
        byte[] bytes = Encoding.UTF8.GetBytes(retained);
        var message = new DeviceStateMessage();
        Assert.True(new StateMessageParser().TryParse(bytes, bytes.Length, message), retained);
        Assert.False(message.HasLast);
        return message.Pending;
    }
}
