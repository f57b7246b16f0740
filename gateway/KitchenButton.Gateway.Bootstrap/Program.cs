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

// No timeout: the next-invocation request waits for as long as the environment is idle.
using var http = new HttpClient(KitchenButton.Gateway.Aws.AwsHttpHandler.Create()) { Timeout = Timeout.InfiniteTimeSpan };
// KB_REPORT_ALLOCATIONS=1 (the bench): the process's allocated bytes on standard error after each invocation.
Action? report = Environment.GetEnvironmentVariable("KB_REPORT_ALLOCATIONS") == "1"
    ? () => Console.Error.WriteLine("allocated " + GC.GetTotalAllocatedBytes(precise: true).ToString(System.Globalization.CultureInfo.InvariantCulture))
    : null;
await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(http, api), Environment.GetEnvironmentVariable("_HANDLER"), GatewayComposition.FromEnvironment, null, CancellationToken.None, report);
return 0;
