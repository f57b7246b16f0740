using KitchenButton.Device.Control;
using Xunit;

namespace KitchenButton.Device.Tests.Control;

public sealed class MaintenancePolicyTests
{
    private const uint Plenty = 200_000;

    [Fact]
    public void Memory_is_measured_once_a_minute_not_every_loop()
    {
        var policy = new MaintenancePolicy(0, 0);
        int due = 0;
        for (long t = 0; t <= 10 * 60_000; t += 20)
        {
            if (policy.IsMemoryCheckDue(t))
            {
                due++;
            }
        }

        Assert.Equal(10, due);
    }

    [Theory]
    [InlineData(20_000u, 120_000u, 60_000u, 0u, 0u, true, MaintenanceAction.RestartLowManagedMemory)]
    [InlineData(Plenty, 12_000u, 8_000u, 0u, 0u, true, MaintenanceAction.RestartLowNativeMemory)] // no headroom for Wi-Fi and lwIP
    [InlineData(Plenty, 30_000u, 9_000u, 0u, 0u, true, MaintenanceAction.None)] // WROOM, connected: its records are already held
    [InlineData(Plenty, 30_000u, 9_000u, 0u, 0u, false, MaintenanceAction.RestartLowNativeMemory)] // WROOM, to reconnect: no block for the incoming record
    [InlineData(Plenty, 40_000u, 20_000u, 0u, 0u, false, MaintenanceAction.None)]
    [InlineData(Plenty, 40_000u, 9_000u, 262_144u, 200_000u, false, MaintenanceAction.None)] // PSRAM: the incoming record goes there
    [InlineData(Plenty, 40_000u, 9_000u, 262_144u, 12_000u, false, MaintenanceAction.RestartLowNativeMemory)] // PSRAM fragmented below a record
    [InlineData(Plenty, 40_000u, 4_000u, 262_144u, 200_000u, false, MaintenanceAction.RestartLowNativeMemory)] // no internal block for the outgoing record
    public void Memory_is_judged_by_where_the_tls_records_go(uint managed, uint internalFree, uint internalLargest, uint psramTotal, uint psramLargest, bool connected, MaintenanceAction expected)
    {
        var policy = new MaintenancePolicy(0, 0);
        var heaps = new NativeHeaps { InternalFree = internalFree, InternalLargestBlock = internalLargest, PsramTotal = psramTotal, PsramLargestBlock = psramLargest };
        Assert.Equal(expected, policy.DecideMemory(quiescent: true, connected, managed, heaps));
    }

    [Fact]
    public void Nothing_restarts_while_a_press_is_held_queued_or_awaited()
    {
        var policy = new MaintenancePolicy(0, 0);
        Assert.Equal(MaintenanceAction.None, policy.DecideMemory(quiescent: false, connected: false, 1, new NativeHeaps()));
        Assert.Equal(MaintenanceAction.None, policy.Decide(60 * 60_000, quiescent: false, connected: false, pendingOrders: 0, buttonHeld: false));
    }

    [Fact]
    public void An_hour_offline_with_presses_queued_restarts_the_board_but_never_under_a_cooks_finger()
    {
        // A hung network thread never comes back on its own: holding the presses forever would leave
        // a dead board that looks alive. After an hour they are past the gateway's window anyway.
        var policy = new MaintenancePolicy(0, 0);
        Assert.Equal(MaintenanceAction.None, policy.Decide(60 * 60_000, quiescent: false, connected: false, pendingOrders: 1, buttonHeld: false));
        Assert.Equal(MaintenanceAction.None, policy.Decide((60 * 60_000) + 1, quiescent: false, connected: false, pendingOrders: 1, buttonHeld: true));
        Assert.Equal(MaintenanceAction.RestartStranded, policy.Decide((60 * 60_000) + 1, quiescent: false, connected: false, pendingOrders: 1, buttonHeld: false));

        // A connection within the hour starts the count again.
        var reconnected = new MaintenancePolicy(0, 0);
        reconnected.Decide(30 * 60_000, quiescent: false, connected: true, pendingOrders: 0, buttonHeld: false);
        Assert.Equal(MaintenanceAction.None, reconnected.Decide((60 * 60_000) + 1, quiescent: false, connected: false, pendingOrders: 0, buttonHeld: false));
    }

    [Fact]
    public void Thirty_minutes_without_a_connection_restarts_the_board()
    {
        var policy = new MaintenancePolicy(0, 0);
        Assert.Equal(MaintenanceAction.None, policy.Decide(1_000, true, connected: true, 0, buttonHeld: false));
        Assert.Equal(MaintenanceAction.None, policy.Decide(1_000 + (30 * 60_000), true, connected: false, 0, buttonHeld: false));
        Assert.Equal(MaintenanceAction.RestartOffline, policy.Decide(1_001 + (30 * 60_000), true, connected: false, 0, buttonHeld: false));
    }

    [Fact]
    public void Deep_sleep_waits_for_idleness_and_for_no_order_waiting()
    {
        var policy = new MaintenancePolicy(600_000, 0);
        Assert.Equal(MaintenanceAction.None, policy.Decide(500_000, true, true, 0, buttonHeld: false));
        policy.NoteActivity(500_000);
        Assert.Equal(MaintenanceAction.None, policy.Decide(1_000_000, true, true, 0, buttonHeld: false));
        Assert.Equal(MaintenanceAction.None, policy.Decide(1_200_000, true, true, pendingOrders: 2, buttonHeld: false));
        Assert.Equal(MaintenanceAction.DeepSleep, policy.Decide(1_200_000, true, true, pendingOrders: 0, buttonHeld: false));

        var never = new MaintenancePolicy(0, 0);
        Assert.Equal(MaintenanceAction.None, never.Decide(10 * 60 * 60_000, true, true, 0, buttonHeld: false));
    }
}
