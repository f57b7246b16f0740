using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KitchenButton.Device.Control;
using KitchenButton.Device.Light;
using KitchenButton.Device.Platform;
using KitchenButton.Simulator.Host;
using Xunit;

namespace KitchenButton.Device.Tests.Control;

public sealed class DeviceControllerTests
{
    private const string Thing = "pizza-oven-1";
    private const long BootUnixMs = 1_764_000_000_000;
    private static readonly byte[] Secret = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private readonly RecordingDeviceActions _shell = new();
    private readonly DeviceController _device;
    private long _now;

    public DeviceControllerTests()
    {
        _device = new DeviceController(new DeviceControllerOptions(Thing), new HostHmacSha256(Secret), new SystemRandomSource(7), _shell);
    }

    [Fact]
    public void Start_persists_the_next_boot_counter_before_anything_else()
    {
        _device.Start(41, 0);
        Assert.Equal(new[] { 42u }, _shell.PersistedBoots);
        Assert.Equal(42u, _device.Boot);
        Assert.Equal(0, _shell.ConnectRequests);
        Assert.Equal(LightState.Connecting, _device.Light);
    }

    [Fact]
    public void A_storage_failure_is_a_fault_and_nothing_is_ever_sent()
    {
        _shell.StorageWorks = false;
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Press(100, 200);
        Run(5000);
        Assert.Equal(LightState.FaultStorage, _device.Light);
        Assert.Equal(0, _shell.ConnectRequests);
        Assert.Empty(_shell.Published);
        Assert.Equal(0, _device.QueuedPresses);
    }

    [Fact]
    public void No_connection_is_attempted_before_the_clock_is_valid()
    {
        _device.Start(0, 0);
        Run(10_000);
        Assert.Equal(0, _shell.ConnectRequests);
        Assert.False(_device.OnTimeSynchronized(86_400_000, _now));
        Run(12_000);
        Assert.Equal(0, _shell.ConnectRequests);
        Assert.True(_device.OnTimeSynchronized(BootUnixMs + _now, _now));
        Assert.Equal(1, _shell.ConnectRequests);
    }

    [Fact]
    public void An_online_press_is_published_signed_with_the_real_time()
    {
        BringOnline();
        Press(5_000, 180);
        Run(5_300);

        var (_, json) = Assert.Single(_shell.Published);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement m = doc.RootElement;
        Assert.Equal(Thing, m.GetProperty("thing").GetString());
        Assert.Equal(1u, m.GetProperty("boot").GetUInt32());
        Assert.Equal(1u, m.GetProperty("seq").GetUInt32());
        Assert.Equal((BootUnixMs + 5_180) / 1000, m.GetProperty("ts").GetInt64());
        Assert.Equal("short", m.GetProperty("kind").GetString());
        Assert.Equal(180, m.GetProperty("held").GetInt32());
        Assert.Equal(0, m.GetProperty("queued").GetInt32());
        Assert.Equal(ExpectedSignature(m), m.GetProperty("sig").GetString());
        Assert.Equal(LightState.Sending, _device.Light);
    }

    [Fact]
    public void A_press_before_the_clock_is_known_waits_and_keeps_its_own_moment()
    {
        _device.Start(0, 0);
        Press(2_000, 2_400);
        Assert.Equal(1, _device.QueuedPresses);
        Assert.Equal(LightState.OfflineWithQueued, _device.Light);

        Run(20_000);
        _device.OnTimeSynchronized(BootUnixMs + 20_000, 20_000);
        Assert.True(_device.OnConnected(_shell.LastAttempt, 21_000));

        using JsonDocument doc = JsonDocument.Parse(Assert.Single(_shell.Published).Json);
        Assert.Equal((BootUnixMs + 4_400) / 1000, doc.RootElement.GetProperty("ts").GetInt64());
        Assert.Equal("long", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("queued").GetInt32());
    }

    [Fact]
    public void Every_clock_correction_re_takes_the_offset_for_the_presses_after_it()
    {
        // Booted on a clock an hour slow (a warm restart's RTC); SNTP's answer corrects it at 10 s.
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs - 3_600_000, 0);
        Assert.True(_device.OnConnected(_shell.LastAttempt, 0));
        Run(10_000);
        Assert.True(_device.OnTimeSynchronized(BootUnixMs + 10_000, 10_000));
        Press(20_000, 100);
        Run(20_300);

        using JsonDocument doc = JsonDocument.Parse(Assert.Single(_shell.Published).Json);
        Assert.Equal((BootUnixMs + 20_100) / 1000, doc.RootElement.GetProperty("ts").GetInt64());
    }

    [Fact]
    public void Offline_presses_are_sent_in_order_one_at_a_time_after_reconnecting()
    {
        BringOnline();
        _device.OnDisconnected(1_000);
        Press(2_000, 100);
        Press(3_000, 100);
        Press(4_000, 2_000);
        Assert.Equal(3, _device.QueuedPresses);
        Assert.Empty(_shell.Published);

        Assert.True(_device.OnConnected(_shell.LastAttempt, 10_000));
        Assert.Single(_shell.Published);
        Run(12_000);
        Assert.Single(_shell.Published);

        for (int i = 0; i < 3; i++)
        {
            _device.OnPublishAcknowledged(_shell.Published[i].Id, 12_000 + i);
        }

        Assert.Equal(3, _shell.Published.Count);
        Assert.Equal(0, _device.QueuedPresses);
        Assert.Equal(3, _device.AcknowledgedPresses);
        for (int i = 0; i < 3; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(_shell.Published[i].Json);
            Assert.Equal((uint)(i + 1), doc.RootElement.GetProperty("seq").GetUInt32());
            Assert.Equal(1, doc.RootElement.GetProperty("queued").GetInt32());
        }
    }

    [Fact]
    public void A_press_in_flight_when_the_link_drops_is_resent_identically()
    {
        BringOnline();
        Press(1_000, 100);
        string first = Assert.Single(_shell.Published).Json;
        _device.OnPublishAcknowledged(999, 1_300);
        Assert.Equal(1, _device.QueuedPresses);

        _device.OnDisconnected(1_500);
        Assert.Equal(LightState.OfflineWithQueued, _device.Light);
        Run(9_000);
        Assert.Equal(2u, _shell.LastAttempt);
        Assert.True(_device.OnConnected(_shell.LastAttempt, 9_000));
        Assert.Equal(2, _shell.Published.Count);
        Assert.Equal(first, _shell.Published[1].Json);

        _device.OnPublishAcknowledged(_shell.Published[0].Id, 9_100);
        Assert.Equal(1, _device.QueuedPresses);
        _device.OnPublishAcknowledged(_shell.Published[1].Id, 9_200);
        Assert.Equal(0, _device.QueuedPresses);
    }

    [Fact]
    public void A_full_outbox_refuses_the_press_says_so_and_keeps_the_rest()
    {
        var shell = new RecordingDeviceActions();
        var device = new DeviceController(new DeviceControllerOptions(Thing) { OutboxCapacity = 2 }, new HostHmacSha256(Secret), new SystemRandomSource(1), shell);
        device.Start(0, 0);
        for (int i = 0; i < 3; i++)
        {
            long t = 1_000 + (i * 1_000);
            device.OnButtonEdge(true, t);
            device.OnButtonEdge(false, t + 100);
            device.Tick(t + 200);
        }

        Assert.Equal(2, device.QueuedPresses);
        Assert.Equal(1, device.RefusedPresses);
        Assert.Equal(LightState.QueueFull, device.Light);
        Assert.Equal(3u, device.NextSeq);
    }

    [Fact]
    public void Failed_connections_back_off()
    {
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Assert.Equal(1, _shell.ConnectRequests);
        _device.OnConnectFailed(_shell.LastAttempt, 100);
        Run(1_099);
        Assert.Equal(1, _shell.ConnectRequests);
        Run(1_100);
        Assert.Equal(2, _shell.ConnectRequests);
        _device.OnConnectFailed(_shell.LastAttempt, _now);
        Run(_now + 999);
        Assert.Equal(2, _shell.ConnectRequests);
        Run(_now + 2_001);
        Assert.Equal(3, _shell.ConnectRequests);
    }

    [Fact]
    public void A_connection_attempt_with_no_outcome_times_out()
    {
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Run(59_999);
        Assert.Equal(1, _shell.ConnectRequests);
        Run(62_000);
        Assert.Equal(2, _shell.ConnectRequests);
    }

    [Fact]
    public void A_connect_that_outlives_the_timeout_is_given_up_and_its_late_success_is_not_used()
    {
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Assert.Equal(1u, _shell.LastAttempt);

        // The TLS handshake hangs past the controller's 60 s: the attempt is given up, the shell told.
        Run(60_000);
        Assert.Equal(new[] { 1u }, _shell.GivenUp);
        Assert.False(_device.IsConnected);

        // It connects after all: the controller refuses it, so the shell closes it instead of using it.
        Assert.False(_device.OnConnected(1, 61_000));
        Assert.False(_device.IsConnected);

        // The next attempt, after the backoff, is the one that counts.
        Run(62_100);
        Assert.Equal(2u, _shell.LastAttempt);
        Assert.True(_device.OnConnected(2, _now));
        Assert.True(_device.IsConnected);
    }

    [Fact]
    public void A_late_result_of_a_given_up_attempt_never_wedges_the_controller_connected()
    {
        // The field report: a slow connect across the timeout, a newer attempt asked for, the old one
        // succeeding late and the new one failing. The controller must end offline and try again,
        // keeping the press, never "connected" with nothing under it.
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Run(62_100);
        Assert.Equal(2u, _shell.LastAttempt);
        Press(_now + 100, 200);
        Assert.Equal(1, _device.QueuedPresses);

        Assert.False(_device.OnConnected(1, _now));
        _device.OnConnectFailed(1, _now);
        Assert.Equal(2u, _shell.LastAttempt);
        _device.OnConnectFailed(2, _now);
        Assert.False(_device.IsConnected);
        Assert.Empty(_shell.Published);
        Assert.Equal(LightState.OfflineWithQueued, _device.Light);

        Run(_now + 5_000);
        Assert.Equal(3u, _shell.LastAttempt);
        Assert.True(_device.OnConnected(_shell.LastAttempt, _now));
        Run(_now + 100);
        Assert.Single(_shell.Published);
    }

    [Fact]
    public void A_failure_or_success_reported_for_no_attempt_in_flight_changes_nothing()
    {
        BringOnline();
        _device.OnConnectFailed(_shell.LastAttempt, 1_000);
        Assert.True(_device.IsConnected);
        Assert.False(_device.OnConnected(_shell.LastAttempt, 2_000));
        Assert.False(_device.OnConnected(_shell.LastAttempt + 1, 2_000));
        Assert.True(_device.IsConnected);
        Assert.Equal(1, _shell.ConnectRequests);
    }

    [Fact]
    public void A_publish_the_client_refuses_is_retried()
    {
        BringOnline();
        _shell.ClientAcceptsPublish = false;
        Press(1_000, 100);
        Assert.Empty(_shell.Published);
        _shell.ClientAcceptsPublish = true;
        Run(2_000);
        Assert.Empty(_shell.Published);
        Run(2_200);
        Assert.Single(_shell.Published);
    }

    [Fact]
    public void The_gateway_result_is_shown_once_and_the_pending_count_drives_the_idle_state()
    {
        BringOnline();
        StateMessage("{\"pending\":2}");
        Assert.Equal(LightState.OrdersWaiting, _device.Light);

        Press(1_000, 100);
        _device.OnPublishAcknowledged(_shell.Published[0].Id, 1_200);
        Assert.Equal(LightState.Sending, _device.Light);

        StateMessage("{\"pending\":1,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"resumed\",\"order\":\"o-1\"}}");
        Assert.Equal(LightState.Resumed, _device.Light);
        Assert.Equal(1, _device.PendingOrders);

        Run(1_300 + LedPatterns.Resumed.DurationMs + 10);
        Assert.Equal(LightState.OrdersWaiting, _device.Light);

        // The same retained message again (e.g. after resubscribing) does not replay the result.
        StateMessage("{\"pending\":1,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"resumed\"}}");
        Assert.Equal(LightState.OrdersWaiting, _device.Light);
    }

    [Fact]
    public void A_result_from_an_earlier_boot_or_a_future_seq_is_not_shown()
    {
        BringOnline();
        StateMessage("{\"pending\":0,\"last\":{\"seq\":1,\"boot\":0,\"result\":\"rejected\"}}");
        Assert.Equal(LightState.Idle, _device.Light);
        StateMessage("{\"pending\":0,\"last\":{\"seq\":5,\"boot\":1,\"result\":\"rejected\"}}");
        Assert.Equal(LightState.Idle, _device.Light);
    }

    [Theory]
    [InlineData("problem-reported", LightState.ProblemSent)]
    [InlineData("no-pending", LightState.NothingWaiting)]
    [InlineData("rejected", LightState.Rejected)]
    public void Each_result_has_its_own_pattern(string result, LightState expected)
    {
        BringOnline();
        Press(1_000, 100);
        _device.OnPublishAcknowledged(_shell.Published[0].Id, 1_200);
        StateMessage("{\"pending\":0,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"" + result + "\"}}");
        Assert.Equal(expected, _device.Light);
    }

    [Fact]
    public void Without_an_answer_sending_gives_way_after_the_wait()
    {
        BringOnline();
        Press(1_000, 100);
        _device.OnPublishAcknowledged(_shell.Published[0].Id, 1_200);
        Run(1_200 + 7_999);
        Assert.Equal(LightState.Sending, _device.Light);
        Run(1_200 + 8_000);
        Assert.Equal(LightState.Idle, _device.Light);
    }

    [Fact]
    public void A_malformed_state_message_is_counted_and_changes_nothing()
    {
        BringOnline();
        StateMessage("{\"pending\":3}");
        Assert.False(_device.OnStateMessage(Encoding.ASCII.GetBytes("{\"pending\":"), 11, _now));
        Assert.Equal(1, _device.MalformedStateMessages);
        Assert.Equal(3, _device.PendingOrders);
    }

    [Fact]
    public void The_led_reacts_when_the_long_threshold_passes_before_release()
    {
        BringOnline();
        _device.OnButtonEdge(true, 1_000);
        Run(2_400);
        Assert.NotEqual(LightState.LongPressArmed, _device.Light);
        Run(2_520);
        Assert.Equal(LightState.LongPressArmed, _device.Light);
        _device.OnButtonEdge(false, 3_000);
        Run(3_100);
        Assert.Equal(LightState.Sending, _device.Light);
        using JsonDocument doc = JsonDocument.Parse(Assert.Single(_shell.Published).Json);
        Assert.Equal("long", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(2_000, doc.RootElement.GetProperty("held").GetInt32());
    }

    [Fact]
    public void Holding_past_the_stuck_time_cancels_the_press_and_says_so_without_a_fault()
    {
        // The guide's way to take a press back: keep holding. A cook doing it must not see a fault.
        BringOnline();
        _device.OnButtonEdge(true, 1_000);
        Run(31_500);
        Assert.Equal(LightState.Cancelling, _device.Light);
        _device.OnButtonEdge(false, 40_000);
        Run(40_100);
        Assert.Empty(_shell.Published);
        Assert.Equal(LightState.Idle, _device.Light);
    }

    [Fact]
    public void A_button_held_a_minute_past_the_cancel_is_a_stuck_button()
    {
        BringOnline();
        _device.OnButtonEdge(true, 1_000);
        Run(90_900);
        Assert.Equal(LightState.Cancelling, _device.Light);
        Run(91_100);
        Assert.Equal(LightState.FaultStuckButton, _device.Light);
        _device.OnButtonEdge(false, 120_000);
        Run(120_100);
        Assert.Empty(_shell.Published);
        Assert.Equal(LightState.Idle, _device.Light);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(9, 4)]
    public void The_light_shows_how_many_orders_wait_as_one_two_three_or_many_blips(int waiting, int blips)
    {
        BringOnline();
        Run(3_100);
        int before = _shell.Led.Count;
        bool was = before > 0 && _shell.Led[before - 1].On;
        StateMessage("{\"pending\":" + waiting + "}");
        Run(_now + 1_350);

        // The flashes of the first cycle, counted on the pin as a cook would count them.
        int shown = 0;
        for (int i = before; i < _shell.Led.Count; i++)
        {
            shown += _shell.Led[i].On && !was ? 1 : 0;
            was = _shell.Led[i].On;
        }

        Assert.Equal(LightState.OrdersWaiting, _device.Light);
        Assert.Equal(blips, shown);
    }

    [Fact]
    public void The_led_is_written_only_on_changes()
    {
        // Ticks come every 20 ms; the LED pin is driven only when the pattern turns on or off.
        BringOnline();
        StateMessage("{\"pending\":1}");
        int writes = _shell.Led.Count;
        long from = _now;
        Run(from + 20_000);

        int edges = 0;
        for (long t = from + 20; t <= from + 20_000; t += 20)
        {
            if (LedPatterns.OneWaiting.IsOnAt((int)(t - from)) != LedPatterns.OneWaiting.IsOnAt((int)(t - 20 - from)))
            {
                edges++;
            }
        }

        Assert.InRange(_shell.Led.Count - writes, 1, edges + 1);
        for (int i = writes; i < _shell.Led.Count; i++)
        {
            Assert.NotEqual(_shell.Led[i - 1].On, _shell.Led[i].On);
        }
    }

    [Fact]
    public void A_reported_fault_stops_all_activity()
    {
        _device.ReportFault(LightState.FaultConfiguration, 0);
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Press(1_000, 100);
        Assert.Equal(LightState.FaultConfiguration, _device.Light);
        Assert.Equal(0, _shell.ConnectRequests);
        Assert.Equal(0, _device.QueuedPresses);
    }

    [Fact]
    public void A_health_report_goes_out_on_connect_and_then_every_interval()
    {
        BringOnline();
        Assert.Single(_shell.Statuses);
        using (JsonDocument doc = JsonDocument.Parse(_shell.Statuses[0]))
        {
            Assert.Equal(1u, doc.RootElement.GetProperty("boot").GetUInt32());
            Assert.Equal(90_000u, doc.RootElement.GetProperty("freeMem").GetUInt32());
            Assert.Equal(-58, doc.RootElement.GetProperty("rssi").GetInt32());
            Assert.Equal("sntp: 2 retries", doc.RootElement.GetProperty("lastError").GetString());
        }

        Run(899_000);
        Assert.Single(_shell.Statuses);
        Run(900_000);
        Assert.Equal(2, _shell.Statuses.Count);
        using JsonDocument second = JsonDocument.Parse(_shell.Statuses[1]);
        Assert.Equal(900, second.RootElement.GetProperty("uptime").GetInt64());
    }

    [Fact]
    public void No_health_report_is_attempted_while_offline()
    {
        _device.Start(0, 0);
        Run(2_000_000);
        Assert.Empty(_shell.Statuses);
    }

    [Fact]
    public void A_publish_the_client_gave_up_on_is_sent_again()
    {
        BringOnline();
        Press(1_000, 100);
        ushort first = Assert.Single(_shell.Published).Id;
        _device.OnPublishFailed(first, 1_200);
        Assert.Equal(1, _device.QueuedPresses);
        Run(2_300);
        Assert.Equal(2, _shell.Published.Count);
        Assert.Equal(_shell.Published[0].Json, _shell.Published[1].Json);
        _device.OnPublishAcknowledged(first, 2_400);
        Assert.Equal(1, _device.QueuedPresses);
        _device.OnPublishAcknowledged(_shell.Published[1].Id, 2_500);
        Assert.Equal(0, _device.QueuedPresses);
    }

    [Fact]
    public void The_device_is_quiescent_only_with_nothing_held_queued_or_awaited()
    {
        BringOnline();
        Assert.True(_device.IsQuiescent);
        _device.OnButtonEdge(true, 1_000);
        Run(1_100);
        Assert.False(_device.IsQuiescent);
        _device.OnButtonEdge(false, 1_200);
        Run(1_300);
        Assert.False(_device.IsQuiescent);
        _device.OnPublishAcknowledged(_shell.Published[0].Id, 1_400);
        Assert.False(_device.IsQuiescent);
        StateMessage("{\"pending\":0,\"last\":{\"seq\":1,\"boot\":1,\"result\":\"no-pending\"}}");
        Assert.True(_device.IsQuiescent);
    }

    private void BringOnline()
    {
        _device.Start(0, 0);
        _device.OnTimeSynchronized(BootUnixMs, 0);
        Assert.True(_device.OnConnected(_shell.LastAttempt, 0));
    }

    private void Press(long at, int holdMs)
    {
        Run(at);
        _device.OnButtonEdge(true, at);
        Run(at + holdMs);
        _device.OnButtonEdge(false, at + holdMs);
        Run(at + holdMs + 50);
    }

    /// <summary>Ticks every 20 ms, as the firmware's main loop does, up to <paramref name="until"/>.</summary>
    private void Run(long until)
    {
        while (_now + 20 <= until)
        {
            _now += 20;
            _device.Tick(_now);
        }

        _now = Math.Max(_now, until);
        _device.Tick(_now);
    }

    private void StateMessage(string json)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(json);
        Assert.True(_device.OnStateMessage(bytes, bytes.Length, _now));
    }

    private static string ExpectedSignature(JsonElement m)
    {
        string canonical = string.Join("\n", "kb1", m.GetProperty("thing").GetString(), m.GetProperty("boot").GetUInt32(), m.GetProperty("seq").GetUInt32(),
            m.GetProperty("ts").GetInt64(), m.GetProperty("kind").GetString(), m.GetProperty("held").GetInt32(), m.GetProperty("queued").GetInt32());
        return Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.ASCII.GetBytes(canonical)));
    }
}
