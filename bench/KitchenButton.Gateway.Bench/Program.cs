using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.LocalAws;

// Figures for the gateway's press path: the real processor, DynamoDB API on dynalite, Step Functions
// and IoT over HTTP to the loopback endpoint. Target (gateway issue): p99 < 25 ms, > 500 presses/s.
// "process CPU" is this process's CPU time while presses run (gateway, SDK, the loopback endpoint and
// the logs; parking the orders is not counted); "JIT" is the part of it the JIT spent compiling.
// dynalite runs in its own node process, which is the limit on throughput here.
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

// A rush: each round parks this many orders at every station, then presses them all away.
const int RushDepth = 4;

// A long queue: a press reads its station's whole queue (the LED's count comes from that read), so
// its cost grows with the orders waiting; one round parks this many at every station.
const int DeepQueue = 40;
byte[] secret = new byte[32];

await using DynaliteProcess dynalite = await DynaliteProcess.StartAsync();
await using LocalGateway gw = await LocalGateway.CreateAsync(dynalite);
for (int s = 0; s < Stations; s++)
{
    await gw.PairAsync("bench-" + s, "station-" + s, secret);
}

Console.WriteLine($"gateway bench: {Environment.ProcessorCount} cores, dynalite on :{dynalite.Port}, callbacks on :{gw.Aws.Port}");
long now = gw.Now.ToUnixTimeSeconds();
uint seq = 0;
int parked = 0;

// Warm up connection pools, dynalite and the JIT. The runtime moves methods to their optimized tier
// only after 100 ms without new compiling, which a busy loop never leaves it: warm-up rounds are
// spaced by pauses until a round compiles next to nothing, so the JIT is not timed as the gateway.
int warmRounds = await WarmUpAsync();
Console.WriteLine($"warm after {warmRounds} rounds of 200 presses ({System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled)");
await RunAsync(sequential, 1, depth: 1, "one press at a time, one order waiting", print: true);
await RunAsync(DeepQueue * Stations, 1, DeepQueue, "one press at a time, " + DeepQueue + " down to 1 waiting", print: true);
await RunAsync(concurrent, Workers, RushDepth, Workers + " concurrent, " + Stations + " stations, " + RushDepth + " orders each", print: true);

async Task<int> WarmUpAsync()
{
    const int MaxRounds = 20;
    for (int round = 1; round <= MaxRounds; round++)
    {
        long compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        await RunAsync(100, 1, depth: 1, "warm-up", print: false);
        await RunAsync(100, Workers, RushDepth, "warm-up", print: false);
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
        await Task.Delay(500);
        if (compiled < 10)
        {
            return round;
        }
    }

    return MaxRounds;
}

// Rounds of depth × Stations presses: the round's orders are parked (not measured), then the workers
// press them away; one press at a time with depth 1 is the issue's common path, one order waiting.
async Task RunAsync(int presses, int workers, int depth, string name, bool print)
{
    var latencies = new ConcurrentBag<double>();
    var calls = new Dictionary<string, int>();
    int resumed = 0;
    int done = 0;
    TimeSpan cpu = TimeSpan.Zero;
    TimeSpan jit = TimeSpan.Zero;
    long methods = 0;
    long allocated = 0;
    var wall = new Stopwatch();
    while (done < presses)
    {
        int round = Math.Min(presses - done, depth * Stations);
        for (int i = 0; i < round; i++)
        {
            await gw.EnqueueOrderAsync("station-" + (i % Stations), "o-" + parked++);
        }

        var callsBefore = gw.Calls.Snapshot();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        long methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        wall.Start();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(workers, round)).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= round)
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
        wall.Stop();
        cpu += Environment.CpuUsage.TotalTime - cpuBefore;
        jit += System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        methods += System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore;
        allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        foreach (var (operation, count) in gw.Calls.Since(callsBefore))
        {
            calls[operation] = calls.GetValueOrDefault(operation) + count;
        }

        done += round;
    }

    if (!print || presses == 0)
    {
        return;
    }

    double PerPress(TimeSpan t) => t.TotalMilliseconds / presses;
    double[] sorted = latencies.OrderBy(x => x).ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine($"{name,-45} {presses / wall.Elapsed.TotalSeconds,6:0} presses/s  p50 {P(0.50),5:0.0} ms  p99 {P(0.99),5:0.0} ms  max {sorted[^1],5:0.0} ms  ({resumed}/{presses} resumed)");
    Console.WriteLine($"{"",-45} process CPU {PerPress(cpu):0.00} ms/press, of which JIT {PerPress(jit):0.00} ({methods / (double)presses:0.0} methods); without JIT {PerPress(cpu - jit):0.00} ms/press; allocated {allocated / 1024.0 / presses:0} KB/press");
    double dynamo = calls.Where(c => c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value) / (double)presses;
    double http = calls.Where(c => !c.Key.StartsWith("dynamodb:", StringComparison.Ordinal)).Sum(c => c.Value) / (double)presses;
    Console.WriteLine($"{"",-45} calls per press: DynamoDB {dynamo:0.00}, HTTP {http:0.00} ({string.Join(", ", calls.OrderBy(c => c.Key).Select(c => c.Key + " " + (c.Value / (double)presses).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
}
