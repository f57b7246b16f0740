using System;
using System.Net.Http;
using System.Threading;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Lambda.Runtime;

// The custom runtime's entry: Lambda starts this once per execution environment, with the Runtime
// API's address and the function's handler setting in the environment.
string? api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(api))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this is the gateway's Lambda bootstrap, started by Lambda (or the local stack).");
    return 2;
}

// Socket completions run their continuations on the socket engine's own thread instead of queueing
// them to the thread pool: one invocation at a time, all of it async, so nothing blocks that thread,
// and none of an invocation's nine requests wakes a pool thread to go on (2.5 → 2.1 ms of CPU per
// press, bench coldstart). Read when the first socket opens, so set before; a value in the
// function's environment wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// No timeout: the next-invocation request waits for as long as the environment is idle.
using var http = new HttpMessageInvoker(KitchenButton.Gateway.Aws.AwsHttpHandler.Create());
// KB_REPORT_ALLOCATIONS=N (the bench): the process's allocated bytes on standard error after every
// Nth invocation; every few, not each, as the line's write is not the gateway's work and the bench
// counts this process's CPU as the gateway's. Not the precise count: that one stops every thread to
// read it; the count leaves out at most the few KB each thread has not yet filled, a tenth of a KB
// per press over the bench's 200-press batches.
Action? report = null;
if (int.TryParse(Environment.GetEnvironmentVariable("KB_REPORT_ALLOCATIONS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int every) && every > 0)
{
    int invocations = 0;
    report = () =>
    {
        if (++invocations % every == 0)
        {
            Console.Error.WriteLine("allocated " + GC.GetTotalAllocatedBytes(precise: false).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    };
}

await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(http, api), Environment.GetEnvironmentVariable("_HANDLER"), GatewayComposition.FromEnvironment, null, CancellationToken.None, report);
return 0;
