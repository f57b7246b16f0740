using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.LocalAws;

/// <summary>
/// Fresh process to first answered press, for the bootstrap published three ways (JIT, ReadyToRun,
/// Native AOT), each started as Lambda starts it against the local Runtime API, dynalite and the
/// loopback Step Functions endpoint. Split: start to the first request for an invocation (runtime
/// start, main, building the gateway) and that first press.
/// </summary>
internal static class ColdStart
{
    /// <param name="only">One build by name (JIT, ReadyToRun, AOT) instead of all three side by side.</param>
    /// <param name="warmBatches">Batches of warm presses: CPU per press is given per batch (min, median, max), as this shared machine's load moves it.</param>
    public static async Task RunAsync(int runs, string? only, int warmBatches)
    {
        var builds = new (string Name, string Flags)[]
        {
            ("JIT", "--self-contained false -p:PublishAot=false"),
            ("ReadyToRun", "--self-contained false -p:PublishAot=false -p:PublishReadyToRun=true"),
            ("Native AOT", string.Empty),
        }.Where(b => only is null || b.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray();

        await using DynaliteProcess dynalite = await DynaliteProcess.StartAsync();
        await using LocalGateway gw = await LocalGateway.CreateAsync(dynalite);
        byte[] secret = new byte[32];
        await gw.PairAsync("cold-1", "cold", secret);
        Console.WriteLine($"cold start: {runs} runs per build, {System.Environment.ProcessorCount} cores, {LocalBootstrap.RuntimeIdentifier}");
        uint seq = 0;
        foreach (var (name, flags) in builds)
        {
            string output = Path.Combine(Path.GetTempPath(), "kb-cold-" + name.Replace(' ', '-') + "-" + Guid.NewGuid().ToString("N"));
            var (binary, _) = await LocalBootstrap.PublishAsync(output, flags);
            if (binary == null)
            {
                Console.WriteLine($"{name,-12} publish failed");
                continue;
            }

            var total = new List<double>();
            var init = new List<double>();
            var press = new List<double>();
            var warmCpu = new List<double>();
            var warmUser = new List<double>();
            double warmLatency = double.NaN;
            double warmAllocated = double.NaN;
            for (int run = 0; run < runs; run++)
            {
                await gw.EnqueueOrderAsync("cold", "cold-" + name + "-" + run);
                await using var runtime = new LocalRuntimeApi();
                ProcessStartInfo start = LocalBootstrap.StartInfo(binary, gw, runtime, "PressAsync");
                start.Environment["KB_REPORT_ALLOCATIONS"] = AllocationProbe.Every.ToString(System.Globalization.CultureInfo.InvariantCulture);
                long started = Stopwatch.GetTimestamp();
                using Process process = Process.Start(start)!;
                _ = process.StandardOutput.ReadToEndAsync();
                var allocated = new AllocationProbe(process.StandardError);
                byte[] evt = PressEvents.Event(PressEvents.Signed("cold-1", secret, 1, ++seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), receivedAtMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                RuntimeOutcome outcome = await runtime.InvokeAsync(evt, DateTimeOffset.UtcNow.AddSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));
                long answered = Stopwatch.GetTimestamp();
                long ready = await runtime.FirstNext;
                if (run == runs - 1)
                {
                    (warmCpu, warmUser, warmLatency, warmAllocated) = await WarmAsync(gw, runtime, process, allocated, secret, () => ++seq, name, warmBatches);
                }

                process.Kill();
                await process.WaitForExitAsync();
                if (outcome.Response == null || !outcome.Response.Contains("\"resumed\"", StringComparison.Ordinal))
                {
                    Console.WriteLine($"{name,-12} run {run}: not resumed ({outcome.ErrorType} {outcome.ErrorBody}{outcome.Response})");
                    continue;
                }

                total.Add(Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds);
                init.Add(Stopwatch.GetElapsedTime(started, ready).TotalMilliseconds);
                press.Add(Stopwatch.GetElapsedTime(ready, answered).TotalMilliseconds);
            }

            Console.WriteLine($"{name,-12} start → first answered press {Stats(total)}   start → ready for invocations {Stats(init)}   first press {Stats(press)}");
            Console.WriteLine($"{"",-12} warm, one at a time: the gateway process's own CPU per press {Stats(warmCpu, "0.00")} (over {warmCpu.Count} batches of {WarmPresses}), of which user space {Stats(warmUser, "0.00")}, allocated {warmAllocated:0.0} KB/press, latency {warmLatency:0.0} ms/press");
            Directory.Delete(output, recursive: true);
        }
    }

    private const int WarmPresses = 200;

    /// <summary>
    /// Warm presses through the same process, one at a time: its CPU time per press is the gateway's
    /// own (dynalite, the loopback endpoints and this bench run in other processes or are not counted).
    /// Its user-space part is given apart from the kernel's sockets and epoll (on loopback a send also
    /// runs the receiving socket's side, as the peers' sends run this process's).
    /// </summary>
    private static async Task<(List<double> CpuMs, List<double> UserMs, double LatencyMs, double AllocatedKb)> WarmAsync(LocalGateway gw, LocalRuntimeApi runtime, Process process, AllocationProbe allocated, byte[] secret, Func<uint> nextSeq, string name, int batches)
    {
        // One order waiting per press, parked by this process just before it (not counted), as at a
        // station between rushes.
        int parked = 0;
        async Task PressAsync()
        {
            await gw.EnqueueOrderAsync("cold", "warm-" + name + "-" + parked++);
            byte[] evt = PressEvents.Event(PressEvents.Signed("cold-1", secret, 1, nextSeq(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()), receivedAtMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await runtime.InvokeAsync(evt, DateTimeOffset.UtcNow.AddSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));
        }

        // The first press and these make a multiple of the probe's period, as a batch does.
        const int WarmUp = 20;
        for (int i = 1; i < WarmUp; i++)
        {
            await PressAsync();
        }

        process.Refresh();
        long bytesBefore = await allocated.AfterAsync(WarmUp);
        var cpu = new List<double>();
        var user = new List<double>();
        var watch = Stopwatch.StartNew();
        for (int batch = 0; batch < batches; batch++)
        {
            process.Refresh();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            TimeSpan userBefore = process.UserProcessorTime;
            for (int i = 0; i < WarmPresses; i++)
            {
                await PressAsync();
            }

            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / WarmPresses);
            user.Add((process.UserProcessorTime - userBefore).TotalMilliseconds / WarmPresses);
        }

        watch.Stop();
        int presses = batches * WarmPresses;
        long bytesAfter = await allocated.AfterAsync(WarmUp + presses);
        return (cpu, user, watch.Elapsed.TotalMilliseconds / presses, (bytesAfter - bytesBefore) / 1024.0 / presses);
    }

    private static string Stats(List<double> values, string format = "0")
    {
        if (values.Count == 0)
        {
            return "n/a";
        }

        double[] sorted = values.OrderBy(v => v).ToArray();
        string F(double v) => v.ToString(format, System.Globalization.CultureInfo.InvariantCulture).PadLeft(6);
        return $"min {F(sorted[0])} ms  median {F(sorted[sorted.Length / 2])} ms  max {F(sorted[^1])} ms";
    }

    /// <summary>Reads the bootstrap's "allocated N" lines (KB_REPORT_ALLOCATIONS): the process's allocated bytes after every <see cref="Every"/>th invocation.</summary>
    private sealed class AllocationProbe
    {
        /// <summary>Divides the warm-up and a batch: a line per invocation would add its write to the CPU measured.</summary>
        public const int Every = 20;

        private readonly List<long> _reports = new();
        private readonly Task _reader;

        public AllocationProbe(System.IO.StreamReader error)
        {
            _reader = Task.Run(async () =>
            {
                while (await error.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("allocated ", StringComparison.Ordinal))
                    {
                        lock (_reports)
                        {
                            _reports.Add(long.Parse(line["allocated ".Length..], System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }
            });
        }

        /// <summary>The total after the <paramref name="invocations"/>-th invocation (a multiple of <see cref="Every"/>), once reported.</summary>
        public async Task<long> AfterAsync(int invocations)
        {
            if (invocations % Every != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(invocations), invocations, "the bootstrap reports after every " + Every + "th invocation only");
            }

            for (int wait = 0; wait < 500; wait++)
            {
                lock (_reports)
                {
                    if (_reports.Count >= invocations / Every)
                    {
                        return _reports[(invocations / Every) - 1];
                    }
                }

                await Task.Delay(10);
            }

            return -1;
        }
    }
}
