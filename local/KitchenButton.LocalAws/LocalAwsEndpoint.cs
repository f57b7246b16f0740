using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// The loopback endpoint for the AWS APIs the stack and the tests call over HTTP, in their wire
/// formats: a router that records each call as IAM judges it, refuses what is denied, and hands the
/// call to its service's handler: Step Functions (<see cref="StepFunctionsHandler"/>), the IoT data
/// plane (<see cref="IotDataHandler"/>) and control plane (<see cref="LocalIotRegistry"/>), SQS
/// (<see cref="LocalQueues"/>), Lambda Invoke (<see cref="LocalFunctions"/>).
/// </summary>
public sealed class LocalAwsEndpoint : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, int> _requests = new();

    /// <param name="port">The port to listen on; a free one unless given.</param>
    /// <param name="calls">Where the calls are recorded as IAM would judge them (the operators' IoT, SQS and Lambda calls by action alone); a log of its own unless given.</param>
    public LocalAwsEndpoint(int? port = null, AwsCallLog? calls = null)
    {
        Calls = calls ?? new AwsCallLog();
        States = new StepFunctionsHandler(Count);
        _listener = new LoopbackListener(HandleAsync, port);
    }

    /// <summary>The calls answered, by whose key, which action, on which ARN ("*" for the operators' IoT control-plane, SQS and Lambda calls).</summary>
    public AwsCallLog Calls { get; }

    public int Port => _listener.Port;

    public Uri BaseUri => new("http://127.0.0.1:" + Port);

    /// <summary>Step Functions: the local engine when attached (<see cref="StepFunctions"/>), else the token stand-in.</summary>
    public StepFunctionsHandler States { get; }

    /// <summary>The IoT data plane: Publish.</summary>
    public IotDataHandler IotData { get; } = new();

    /// <summary>The IoT control plane: things, certificates and their attachments.</summary>
    public LocalIotRegistry Iot { get; } = new();

    /// <summary>SQS queues (the press-failures and rule-errors queues, say).</summary>
    public LocalQueues Queues { get; } = new();

    /// <summary>Lambda functions reachable with Invoke.</summary>
    public LocalFunctions Functions { get; } = new();

    /// <summary>What DescribeEndpoint answers: a real-looking host, or this endpoint's own host:port to be used.</summary>
    public string DataEndpointAddress { get; set; } = "local-ats.iot.eu-west-1.amazonaws.com";

    /// <summary>The local Step Functions (the stack's order workflow) that answers every Step Functions call; without it, the token stand-in does.</summary>
    public KitchenButton.StepFunctions.Api.StepFunctionsApi? StepFunctions
    {
        get => States.Engine;
        set => States.Engine = value;
    }

    // The calls the gateway's tests make most, kept on the endpoint itself.
    public IReadOnlyList<AnswerCall> Answers => States.Answers;

    public IReadOnlyList<PublishCall> Publishes => IotData.Publishes;

    public Func<string, byte[], bool, Task>? PublishTo
    {
        get => IotData.PublishTo;
        set => IotData.PublishTo = value;
    }

    public void AddWaitingToken(string token, string? executionArn = null) => States.AddWaitingToken(token, executionArn);

    public void TimeOut(string token) => States.TimeOut(token);

    public IReadOnlyList<HistoryEvent> HistoryOf(string executionArn) => States.HistoryOf(executionArn);

    public string? StateOf(string token) => States.StateOf(token);

    public string? Retained(string topic) => IotData.Retained(topic);

    /// <summary>How many requests of this method reached this path (IoT control plane; "POST /history" counts GetExecutionHistory).</summary>
    public int Requests(string method, string path) => _requests.TryGetValue(method + " " + path, out int n) ? n : 0;

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private void Count(string request) => _requests.AddOrUpdate(request, 1, (_, n) => n + 1);

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.InputStream.CopyToAsync(buffer);
            body = buffer.ToArray();
        }

        try
        {
            await RouteAsync(context, body);
        }
        catch (Exception e)
        {
            await AwsWire.AnswerAsync(context, 500, "{\"__type\":\"InternalFailure\",\"message\":\"" + e.GetType().Name + "\"}", "InternalFailure");
        }
    }

    private async Task RouteAsync(HttpListenerContext context, byte[] body)
    {
        HttpListenerRequest request = context.Request;
        string? target = request.Headers["X-Amz-Target"];
        bool awsJson = request.HttpMethod == "POST" && request.Url!.AbsolutePath == "/" && target != null;
        if (awsJson && target!.StartsWith("AWSStepFunctions.", StringComparison.Ordinal))
        {
            string operation = target["AWSStepFunctions.".Length..];
            if (!StepFunctionsHandler.IsWellFormed(request))
            {
                await AwsWire.AnswerAsync(context, 400, "{\"__type\":\"com.amazon.coral.service#IncompleteSignatureException\",\"message\":\"missing or malformed SigV4 headers\"}", "IncompleteSignatureException");
            }
            else if (await AdmitAsync(context, "states:" + operation, States.ResourceOf(body)))
            {
                await States.HandleAsync(context, operation, body);
            }
        }
        else if (IotDataHandler.Handles(request))
        {
            await IotData.HandleAsync(context, body, AdmitAsync);
        }
        else if (LocalIotRegistry.Handles(request))
        {
            Count(request.HttpMethod + " " + request.Url!.AbsolutePath);
            if (await AdmitAsync(context, "iot:" + (LocalIotRegistry.OperationOf(request) ?? "Unknown"), LocalIotRegistry.ResourceOf(request, body)))
            {
                await (AwsWire.IsSigned(request, "iot")
                    ? Iot.HandleAsync(context, body, DataEndpointAddress)
                    : AwsWire.AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "ForbiddenException"));
            }
        }
        else if (awsJson && target!.StartsWith("AmazonSQS.", StringComparison.Ordinal))
        {
            string operation = target["AmazonSQS.".Length..];
            if (await AdmitAsync(context, "sqs:" + operation, LocalQueues.ResourceOf(body)))
            {
                await (AwsWire.IsSigned(request, "sqs")
                    ? Queues.HandleAsync(context, operation, body, BaseUri)
                    : AwsWire.AnswerAsync(context, 400, "{\"__type\":\"IncompleteSignatureException\",\"message\":\"missing or malformed SigV4 headers\"}", null));
            }
        }
        else if (LocalFunctions.Handles(request))
        {
            if (await AdmitAsync(context, "lambda:InvokeFunction", LocalFunctions.ResourceOf(request)))
            {
                await (AwsWire.IsSigned(request, "lambda")
                    ? Functions.HandleAsync(context, body)
                    : AwsWire.AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "AccessDeniedException"));
            }
        }
        else
        {
            await AwsWire.AnswerAsync(context, 404, "{\"__type\":\"UnknownOperationException\"}", "UnknownOperationException");
        }
    }

    /// <summary>Records a call; answers it as refused and returns false when its action is denied (<see cref="AwsCallLog.Deny"/>).</summary>
    private async Task<bool> AdmitAsync(HttpListenerContext context, string action, string resource)
    {
        Calls.Record(context.Request.Headers["Authorization"], action, resource);
        if (!Calls.IsDenied(action))
        {
            return true;
        }

        await AwsWire.RefuseAsync(context, action, resource);
        return false;
    }
}
