using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.LocalAws;

// Figures for the gateway's press path: the real processor, DynamoDB API on dynalite, Step Functions
// and IoT over HTTP to the loopback endpoint. Target (gateway issue): p99 < 25 ms, > 500 presses/s.
// "gateway CPU" is this process's CPU time per press (gateway, SDK, the loopback endpoint and the
// logs); dynalite runs in its own node process, which is the limit on throughput here.
// "coldstart [runs] [JIT|ReadyToRun|AOT|all] [warm batches]": fresh process to first answered press, JIT vs
// ReadyToRun vs Native AOT (or one of them), then batches of 200 warm presses through the last process.
// "workflow [orders]": the local Step Functions' cost per state and the order workflow's executions per second.
if (args.Length > 0 && args[0] == "workflow")
{
    await WorkflowBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}

if (args.Length > 0 && args[0] == "coldstart")
{
    await ColdStart.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10,
        args.Length > 2 && args[2] != "all" ? args[2] : null,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

int sequential = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 400;
int concurrent = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
const int Workers = 16;
const int Stations = 8;
byte[] secret = new byte[32];

await using DynaliteProcess dynalite = await DynaliteProcess.StartAsync();
await using GatewayHarness gw = await GatewayHarness.CreateAsync(dynalite);
for (int s = 0; s < Stations; s++)
{
    await gw.PairAsync("bench-" + s, "station-" + s, secret);
}

Console.WriteLine($"gateway bench: {Environment.ProcessorCount} cores, dynalite on :{dynalite.Port}, callbacks on :{gw.Aws.Port}");
long now = gw.Now.ToUnixTimeSeconds();
uint seq = 0;

// Warm up JIT, connection pools and dynalite.
await RunAsync(200, 4, "warm-up", print: false);
await RunAsync(sequential, 1, "one press at a time", print: true);
await RunAsync(concurrent, Workers, Workers + " concurrent invocations over " + Stations + " stations", print: true);

async Task RunAsync(int presses, int workers, string name, bool print)
{
    for (int i = 0; i < presses; i++)
    {
        await gw.EnqueueOrderAsync("station-" + (i % Stations), "o-" + name.GetHashCode() + "-" + i);
    }

    var latencies = new ConcurrentBag<double>();
    var callsBefore = gw.Calls.Snapshot();
    int next = -1;
    int resumed = 0;
    TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        while (true)
        {
            int i = Interlocked.Increment(ref next);
            if (i >= presses)
            {
                return;
            }

            int station = i % Stations;
            Press press = PressEvents.Signed("bench-" + station, secret, 1, Interlocked.Increment(ref seq), now);
            long start = Stopwatch.GetTimestamp();
            PressOutcome outcome = await gw.PressAsync(press);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (outcome.Result == PressResult.Resumed)
            {
                Interlocked.Increment(ref resumed);
            }
        }
    })));
    watch.Stop();
    double cpuPerPress = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / presses;
    double kbPerPress = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / presses;
    if (!print)
    {
        return;
    }

    double[] sorted = latencies.OrderBy(x => x).ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine($"{name,-50} {presses / watch.Elapsed.TotalSeconds,8:0} presses/s  p50 {P(0.50),6:0.0} ms  p99 {P(0.99),6:0.0} ms  max {sorted[^1],6:0.0} ms  process CPU {cpuPerPress:0.00} ms/press  allocated {kbPerPress:0} KB/press  ({resumed}/{presses} resumed)");
    var calls = gw.Calls.Since(callsBefore);
    double dynamo = calls.Where(c => c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value) / (double)presses;
    double http = calls.Where(c => !c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value) / (double)presses;
    Console.WriteLine($"{"",-50} calls per press: DynamoDB {dynamo:0.00}, HTTP {http:0.00} ({string.Join(", ", calls.OrderBy(c => c.Key).Select(c => c.Key + " " + (c.Value / (double)presses).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
}
