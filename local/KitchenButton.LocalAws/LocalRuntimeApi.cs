using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>What the runtime reported for one invocation: a response, or an error with its type.</summary>
public sealed record RuntimeOutcome(string? Response, string? ErrorType, string? ErrorBody);

/// <summary>
/// A loopback Lambda Runtime API (2018-06-01): hands out queued invocations on GET
/// /runtime/invocation/next with the documented headers, and records responses, invocation errors
/// and initialization errors, so a custom runtime can be run as Lambda runs it.
/// </summary>
public sealed class LocalRuntimeApi : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly Channel<(string Id, DateTimeOffset Deadline, byte[] Event)> _queue = Channel.CreateUnbounded<(string, DateTimeOffset, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeOutcome>> _outcomes = new();
    private readonly TaskCompletionSource<string> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public LocalRuntimeApi()
    {
        _listener = new LoopbackListener(HandleAsync);
    }

    public int Port => _listener.Port;

    /// <summary>What AWS_LAMBDA_RUNTIME_API holds for it.</summary>
    public string Address => "127.0.0.1:" + Port;

    /// <summary>When (Stopwatch timestamp) the runtime first asked for an invocation: its initialization is done.</summary>
    public Task<long> FirstNext => _firstNext.Task;

    /// <summary>The initialization error's body, once the runtime reports one.</summary>
    public Task<string> InitError => _initError.Task;

    /// <summary>Queues an invocation; its outcome completes when the runtime answers it.</summary>
    public Task<RuntimeOutcome> InvokeAsync(byte[] eventJson, DateTimeOffset deadline)
    {
        string id = "req-" + Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture);
        var outcome = new TaskCompletionSource<RuntimeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _outcomes[id] = outcome;
        _queue.Writer.TryWrite((id, deadline, eventJson));
        return outcome.Task;
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        string path = context.Request.Url!.AbsolutePath;
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        try
        {
            if (context.Request.HttpMethod == "GET" && path == "/2018-06-01/runtime/invocation/next")
            {
                _firstNext.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
                var (id, deadline, eventJson) = await _queue.Reader.ReadAsync(_listener.Stopping);
                context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
                context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:kitchenbutton-local-presshandler";
                context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
                await AnswerAsync(context, 200, eventJson);
                return;
            }

            string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (context.Request.HttpMethod == "POST" && parts is ["2018-06-01", "runtime", "invocation", var requestId, var kind]
                && _outcomes.TryRemove(requestId, out TaskCompletionSource<RuntimeOutcome>? outcome))
            {
                outcome.SetResult(kind == "response"
                    ? new RuntimeOutcome(body, null, null)
                    : new RuntimeOutcome(null, context.Request.Headers["Lambda-Runtime-Function-Error-Type"], body));
                await AnswerAsync(context, 202, Encoding.UTF8.GetBytes("{\"status\":\"OK\"}"));
                return;
            }

            if (context.Request.HttpMethod == "POST" && path == "/2018-06-01/runtime/init/error")
            {
                _initError.TrySetResult(body);
                await AnswerAsync(context, 202, Encoding.UTF8.GetBytes("{\"status\":\"OK\"}"));
                return;
            }

            await AnswerAsync(context, 404, Encoding.UTF8.GetBytes("{\"errorMessage\":\"unknown path\",\"errorType\":\"NotFound\"}"));
        }
        catch (OperationCanceledException)
        {
            context.Response.Abort();
        }
    }

    private static async Task AnswerAsync(HttpListenerContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }
}
