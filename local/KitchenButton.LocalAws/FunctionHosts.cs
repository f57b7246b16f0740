using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;

namespace KitchenButton.LocalAws;

/// <summary>A gateway function's invocation failed: Lambda would retry it, then send it to its failure destination.</summary>
public sealed class FunctionErrorException : Exception
{
    public FunctionErrorException(string errorType, string body)
        : base(errorType + ": " + body)
    {
        ErrorType = errorType;
    }

    public string ErrorType { get; }
}

/// <summary>How the local stack runs a gateway function (PressAsync, StatusAsync, ...): its JSON result, or it throws.</summary>
public interface IFunctionHost : IAsyncDisposable
{
    /// <summary>"in process" or the bootstrap it runs.</summary>
    string Description { get; }

    Task<byte[]> InvokeAsync(string handler, byte[] eventJson, CancellationToken cancellationToken);
}

/// <summary>The gateway's entry points called in this process: quick, for tests of what surrounds the gateway.</summary>
public sealed class InProcessFunctions : IFunctionHost
{
    private static readonly TimeSpan InvocationTime = TimeSpan.FromSeconds(30);

    private readonly Functions _functions;
    private readonly TimeProvider _time;

    public InProcessFunctions(GatewayComposition composition, TimeProvider time)
    {
        _functions = new Functions(composition);
        _time = time;
    }

    public string Description => "the gateway in this process";

    public Task<byte[]> InvokeAsync(string handler, byte[] eventJson, CancellationToken cancellationToken) =>
        _functions.InvokeAsync(handler, eventJson, _time.GetUtcNow() + InvocationTime);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The published bootstrap, run as Lambda runs it: one process per function (its execution
/// environment), started with the stack's environment against a Runtime API of its own, handed one
/// invocation at a time with a deadline.
/// </summary>
public sealed class BootstrapFunctions : IFunctionHost
{
    private static readonly TimeSpan InvocationTime = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (LocalRuntimeApi Runtime, Process Process)> _environments = new(StringComparer.Ordinal);
    private readonly string _binary;

    private BootstrapFunctions(string binary)
    {
        _binary = binary;
    }

    public string Description => "the published bootstrap " + _binary + ", one process per function";

    /// <summary>Starts one execution environment per handler; fails if any reports an init error.</summary>
    public static async Task<BootstrapFunctions> StartAsync(string binary, LocalGateway gateway, params string[] handlers)
    {
        var host = new BootstrapFunctions(binary);
        foreach (string handler in handlers)
        {
            var runtime = new LocalRuntimeApi();
            Process process = Process.Start(LocalBootstrap.StartInfo(binary, gateway, runtime, handler))
                ?? throw new InvalidOperationException("the bootstrap did not start");
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            host._environments[handler] = (runtime, process);
            Task first = await Task.WhenAny(runtime.FirstNext, runtime.InitError, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            if (first != runtime.FirstNext)
            {
                await host.DisposeAsync();
                throw new InvalidOperationException("the bootstrap for " + handler + " did not start: "
                    + (runtime.InitError.IsCompleted ? await runtime.InitError : process.HasExited ? "exited with " + process.ExitCode : "no request for an invocation in 30 s"));
            }
        }

        return host;
    }

    public async Task<byte[]> InvokeAsync(string handler, byte[] eventJson, CancellationToken cancellationToken)
    {
        if (!_environments.TryGetValue(handler, out var environment))
        {
            throw new ArgumentException("no execution environment for " + handler, nameof(handler));
        }

        RuntimeOutcome outcome = await environment.Runtime.InvokeAsync(eventJson, DateTimeOffset.UtcNow + InvocationTime)
            .WaitAsync(InvocationTime + TimeSpan.FromSeconds(5), cancellationToken);
        return outcome.Response != null
            ? System.Text.Encoding.UTF8.GetBytes(outcome.Response)
            : throw new FunctionErrorException(outcome.ErrorType ?? "Unhandled", outcome.ErrorBody ?? string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (runtime, process) in _environments.Values)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
            await runtime.DisposeAsync();
        }

        _environments.Clear();
    }
}
