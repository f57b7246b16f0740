using System;
using System.Diagnostics;
using KitchenButton.Device.Bench;
using KitchenButton.Device.Control;
using KitchenButton.Device.Input;
using KitchenButton.Device.Messaging;
using KitchenButton.Device.Platform;
using KitchenButton.Device.Protocol;
using KitchenButton.Simulator.Host;

// Figures for the device core on the host (net10.0). Targets from the device-core issue:
// at most 1 KiB allocated per press (build + sign + enqueue), zero bytes per idle tick.
const int Warmup = 20_000;
const int Presses = 200_000;
const int Ticks = 1_000_000;
byte[] secret = new byte[32];

// 1. The press path alone: enqueue, sign and encode, dequeue.
var encoder = new PressMessageEncoder("pizza-oven-1", new HostHmacSha256(secret));
var outbox = new Outbox(Outbox.DefaultCapacity);
var message = new PressMessage();
outbox.AssignTimestamps(1_764_000_000_000);
long checksum = 0;
void PressPath(int n)
{
    for (int i = 0; i < n; i++)
    {
        outbox.TryEnqueue(1, (uint)i + 1, i, PressKind.Short, 180, false);
        outbox.AssignTimestamps(1_764_000_000_000);
        outbox.TryPeekHead(message);
        checksum += encoder.Encode(message);
        outbox.RemoveHead();
    }
}

Measure("press: enqueue + sign + encode + dequeue", Presses, Warmup, PressPath);

// 2. The whole controller: debounced edges in, publish out, PUBACK back.
var shell = new NullShell();
var device = new DeviceController(new DeviceControllerOptions("pizza-oven-1"), new HostHmacSha256(secret), new SystemRandomSource(1), shell);
device.Start(0, 0);
device.OnTimeSynchronized(1_764_000_000_000, 0);
device.OnConnected(device.ConnectAttempt, 0);
long now = 0;
void ControllerPress(int n)
{
    for (int i = 0; i < n; i++)
    {
        device.OnButtonEdge(true, now += 100);
        device.OnButtonEdge(false, now += 150);
        device.Tick(now += 40);
        device.OnPublishAcknowledged(shell.LastId, now += 5);
    }
}

Measure("press: controller, edge to PUBACK", Presses, Warmup, ControllerPress);

// 3. Idle ticks: nothing changes, nothing may be allocated.
void IdleTicks(int n)
{
    for (int i = 0; i < n; i++)
    {
        device.Tick(now += 20);
    }
}

Measure("tick: idle controller", Ticks, Warmup, IdleTicks);
Console.WriteLine($"(checksum {checksum + shell.Bytes}, acknowledged {device.AcknowledgedPresses})");

static void Measure(string name, int count, int warmup, Action<int> body)
{
    body(warmup);
    long before = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    body(count);
    watch.Stop();
    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    double ns = watch.Elapsed.TotalMilliseconds * 1_000_000 / count;
    Console.WriteLine($"{name,-45} {ns,9:0.0} ns/op {allocated / (double)count,9:0.00} B/op  ({count:N0} ops)");
}
