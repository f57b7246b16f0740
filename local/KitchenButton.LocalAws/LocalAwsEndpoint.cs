using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>What the endpoint does to the next matching calls.</summary>
public enum Fault
{
    /// <summary>400 ThrottlingException, nothing applied.</summary>
    Throttle,

    /// <summary>500 InternalFailure, nothing applied.</summary>
    ServerError,

    /// <summary>Applies the call, then answers 503 ServiceUnavailable: the caller cannot know it landed.</summary>
    ApplyThenServerError,

    /// <summary>Holds the answer for longer than any client waits, nothing applied.</summary>
    Hang,
}

/// <summary>One recorded Step Functions callback.</summary>
public sealed record AnswerCall(string Operation, string TaskToken, string? Output, string? Error, string? Cause, string Answer);

/// <summary>One event of an execution's history, as the endpoint reports it.</summary>
public sealed record HistoryEvent(long Id, string Type, string? Output, string? Error, string? Cause);

/// <summary>One recorded IoT publish.</summary>
public sealed record PublishCall(string Topic, int Qos, bool Retain, string Payload);

/// <summary>
/// The loopback endpoint for the AWS APIs the stack and the tests call over HTTP, in their wire
/// formats: Step Functions (awsJson1_0: POST /, X-Amz-Target, errors as 400 {"__type"}), answered by
/// the local Step Functions when one is attached (<see cref="StepFunctions"/>) and otherwise by a
/// token stand-in that keeps tokens in their real states (waiting, closed, timed out) for the
/// gateway's own tests; the IoT data plane's Publish (restJson1: POST /topics/{topic}?qos=&amp;retain=)
/// and control plane; SQS; Lambda Invoke. Faults can be injected into answers and history reads.
/// </summary>
public sealed class LocalAwsEndpoint : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentQueue<AnswerCall> _answers = new();
    private readonly ConcurrentQueue<PublishCall> _publishes = new();
    private readonly ConcurrentDictionary<string, string> _retained = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentDictionary<string, string> _executionOfToken = new();
    private string? _lastError;
    private string? _lastCause;
    private readonly ConcurrentDictionary<string, List<HistoryEvent>> _history = new();
    private readonly object _faultLock = new();
    private readonly Queue<Fault> _faults = new();
    private int _publishFaults;

    /// <param name="port">The port to listen on; a free one unless given.</param>
    /// <param name="calls">Where the calls are recorded as IAM would judge them (the operators' IoT, SQS and Lambda calls by action alone); a log of its own unless given.</param>
    public LocalAwsEndpoint(int? port = null, AwsCallLog? calls = null)
    {
        Calls = calls ?? new AwsCallLog();
        _listener = new LoopbackListener(HandleAsync, port);
    }

    /// <summary>The calls answered, by whose key, which action, on which ARN ("*" for the operators' IoT control-plane, SQS and Lambda calls).</summary>
    public AwsCallLog Calls { get; }

    public int Port => _listener.Port;

    public Uri BaseUri => new("http://127.0.0.1:" + Port);

    public IReadOnlyList<AnswerCall> Answers => _answers.ToArray();

    public IReadOnlyList<PublishCall> Publishes => _publishes.ToArray();

    /// <summary>How long a <see cref="Fault.Hang"/> holds its answer.</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>A task waits on this token, in the given execution (its history records how the task ends).</summary>
    public void AddWaitingToken(string token, string? executionArn = null)
    {
        _tokens[token] = "waiting";
        if (executionArn != null)
        {
            _executionOfToken[token] = executionArn;
            Record(token, "TaskSubmitted", null, null, null);
        }
    }

    /// <summary>The task of this token timed out in the workflow.</summary>
    public void TimeOut(string token)
    {
        _tokens[token] = "timed-out";
        Record(token, "TaskTimedOut", null, "States.Timeout", null);
    }

    /// <summary>The execution's history events, oldest first, as GetExecutionHistory reports them.</summary>
    public IReadOnlyList<HistoryEvent> HistoryOf(string executionArn)
    {
        lock (_history)
        {
            return _history.TryGetValue(executionArn, out List<HistoryEvent>? events) ? events.ToArray() : Array.Empty<HistoryEvent>();
        }
    }

    private void Record(string token, string type, string? output, string? error, string? cause)
    {
        if (!_executionOfToken.TryGetValue(token, out string? execution))
        {
            return;
        }

        lock (_history)
        {
            List<HistoryEvent> events = _history.GetOrAdd(execution, _ => new List<HistoryEvent>());
            events.Add(new HistoryEvent(events.Count + 1, type, output, error, cause));
        }
    }

    /// <summary>success, failure, waiting, timed-out, or null for a token never seen.</summary>
    public string? StateOf(string token) => _tokens.TryGetValue(token, out string? s) ? s : null;

    /// <summary>How many requests of this method reached this path (IoT control plane; "POST /history" counts GetExecutionHistory).</summary>
    public int Requests(string method, string path) => _requests.TryGetValue(method + " " + path, out int n) ? n : 0;

    /// <summary>What DescribeEndpoint answers: a real-looking host, or this endpoint's own host:port to be used.</summary>
    public string DataEndpointAddress { get; set; } = "local-ats.iot.eu-west-1.amazonaws.com";

    public string? Retained(string topic) => _retained.TryGetValue(topic, out string? p) ? p : null;

    public void InjectFaults(Fault fault, int count)
    {
        lock (_faultLock)
        {
            for (int i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> IoT publishes answer 500.</summary>
    public void InjectPublishFaults(int count) => Interlocked.Add(ref _publishFaults, count);

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    /// <summary>Where IoT data-plane publishes go on (the local stack's MQTT broker); only recorded when null.</summary>
    public Func<string, byte[], bool, Task>? PublishTo { get; set; }

    /// <summary>The IoT control plane: things, certificates and their attachments.</summary>
    public LocalIotRegistry Iot { get; } = new();

    /// <summary>SQS queues (the press-failures and rule-errors queues, say).</summary>
    public LocalQueues Queues { get; } = new();

    /// <summary>Lambda functions reachable with Invoke.</summary>
    public LocalFunctions Functions { get; } = new();

    /// <summary>
    /// The local Step Functions (the stack's order workflow) that answers every Step Functions call;
    /// without it, answers meet the token stand-in above (the gateway's own tests).
    /// </summary>
    public KitchenButton.StepFunctions.Api.StepFunctionsApi? StepFunctions { get; set; }


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
            string? target = request.Headers["X-Amz-Target"];
            string path = request.Url!.AbsolutePath;
            if (request.HttpMethod == "POST" && path == "/" && target != null && target.StartsWith("AWSStepFunctions.", StringComparison.Ordinal))
            {
                await HandleStepFunctionsAsync(context, target["AWSStepFunctions.".Length..], body);
            }
            else if (request.HttpMethod == "POST" && request.RawUrl!.StartsWith("/topics/", StringComparison.Ordinal))
            {
                await HandlePublishAsync(context, body);
            }
            else if (LocalIotRegistry.Handles(request))
            {
                _requests.AddOrUpdate(request.HttpMethod + " " + request.Url!.AbsolutePath, 1, (_, n) => n + 1);
                if (!await AdmitAsync(context, "iot:" + (LocalIotRegistry.OperationOf(request) ?? "Unknown"), LocalIotRegistry.ResourceOf(request, body)))
                {
                    return;
                }

                await (IsSigned(request, "iot")
                    ? Iot.HandleAsync(context, body, DataEndpointAddress)
                    : AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "ForbiddenException"));
            }
            else if (request.HttpMethod == "POST" && path == "/" && target != null && target.StartsWith("AmazonSQS.", StringComparison.Ordinal))
            {
                if (!await AdmitAsync(context, "sqs:" + target["AmazonSQS.".Length..], LocalQueues.ResourceOf(body)))
                {
                    return;
                }

                await (IsSigned(request, "sqs")
                    ? Queues.HandleAsync(context, target["AmazonSQS.".Length..], body, BaseUri)
                    : AnswerAsync(context, 400, "{\"__type\":\"IncompleteSignatureException\",\"message\":\"missing or malformed SigV4 headers\"}", null));
            }
            else if (LocalFunctions.Handles(request))
            {
                if (!await AdmitAsync(context, "lambda:InvokeFunction", LocalFunctions.ResourceOf(request)))
                {
                    return;
                }

                await (IsSigned(request, "lambda")
                    ? Functions.HandleAsync(context, body)
                    : AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "AccessDeniedException"));
            }
            else
            {
                await AnswerAsync(context, 404, "{\"__type\":\"UnknownOperationException\"}", "UnknownOperationException");
            }
        }
        catch (Exception e)
        {
            await AnswerAsync(context, 500, "{\"__type\":\"InternalFailure\",\"message\":\"" + e.GetType().Name + "\"}", "InternalFailure");
        }
    }

    private async Task HandleStepFunctionsAsync(HttpListenerContext context, string operation, byte[] body)
    {
        if (!IsSigned(context.Request, "states") || context.Request.ContentType != "application/x-amz-json-1.0")
        {
            await AnswerAsync(context, 400, "{\"__type\":\"com.amazon.coral.service#IncompleteSignatureException\",\"message\":\"missing or malformed SigV4 headers\"}", "IncompleteSignatureException");
            return;
        }

        if (!await AdmitAsync(context, "states:" + operation, StatesResource(body)))
        {
            return;
        }

        if (StepFunctions is { } engine)
        {
            await HandleEngineAsync(context, engine, operation, body);
            return;
        }

        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        if (operation == "GetExecutionHistory")
        {
            await HandleHistoryAsync(context, root);
            return;
        }

        string token = root.TryGetProperty("taskToken", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
        string? output = root.TryGetProperty("output", out JsonElement o) ? o.GetString() : null;
        string? error = root.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
        string? cause = root.TryGetProperty("cause", out JsonElement c) ? c.GetString() : null;

        Fault? fault = NextFault();
        if (fault == Fault.Hang)
        {
            await Task.Delay(HangFor);
        }

        if (fault is Fault.Throttle or Fault.ServerError or Fault.Hang)
        {
            string code = fault == Fault.Throttle ? "ThrottlingException" : "InternalFailure";
            _answers.Enqueue(new AnswerCall(operation, token, output, error, cause, code));
            await AnswerAsync(context, fault == Fault.Throttle ? 400 : 500, "{\"__type\":\"" + code + "\",\"message\":\"injected\"}", null);
            return;
        }

        string answer;
        lock (_tokens)
        {
            _lastError = error;
            _lastCause = cause;
            answer = Apply(operation, token, output);
        }

        _answers.Enqueue(new AnswerCall(operation, token, output, error, cause, fault == Fault.ApplyThenServerError ? "ServiceUnavailable(after applying)" : answer));
        if (fault == Fault.ApplyThenServerError)
        {
            await AnswerAsync(context, 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"injected\"}", null);
            return;
        }

        if (answer == "ok")
        {
            await AnswerAsync(context, 200, "{}", null);
            return;
        }

        // Real shapes: a namespaced __type in the body, as Step Functions sends it.
        await AnswerAsync(context, 400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#" + answer + "\",\"message\":\"" + answer + "\"}", null);
    }

    /// <summary>
    /// A call for the local Step Functions. Answers and history reads meet the injected faults first,
    /// as they do without it; every callback is recorded with its answer.
    /// </summary>
    private async Task HandleEngineAsync(HttpListenerContext context, KitchenButton.StepFunctions.Api.StepFunctionsApi engine, string operation, byte[] body)
    {
        bool answering = operation.StartsWith("SendTask", StringComparison.Ordinal);
        Fault? fault = answering || operation == "GetExecutionHistory" ? NextFault() : null;
        string token = string.Empty;
        string? output = null, error = null, cause = null;
        if (answering)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                JsonElement root = doc.RootElement;
                token = root.TryGetProperty("taskToken", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
                output = root.TryGetProperty("output", out JsonElement o) ? o.GetString() : null;
                error = root.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
                cause = root.TryGetProperty("cause", out JsonElement c) ? c.GetString() : null;
            }
            catch (JsonException)
            {
                // The service answers it with its own error.
            }
        }

        if (fault == Fault.Hang)
        {
            await Task.Delay(HangFor);
        }

        if (fault is Fault.Throttle or Fault.ServerError or Fault.Hang)
        {
            string code = fault == Fault.Throttle ? "ThrottlingException" : "InternalFailure";
            if (answering)
            {
                _answers.Enqueue(new AnswerCall(operation, token, output, error, cause, code));
            }

            await AnswerAsync(context, fault == Fault.Throttle ? 400 : 500, "{\"__type\":\"" + code + "\",\"message\":\"injected\"}", null);
            return;
        }

        if (operation == "GetExecutionHistory")
        {
            _requests.AddOrUpdate("POST /history", 1, (_, n) => n + 1);
        }

        KitchenButton.StepFunctions.Api.ApiAnswer answer = engine.Handle(operation, body);
        if (answering)
        {
            string outcome = answer.Status == 200 ? "ok" : JsonDocument.Parse(answer.Body).RootElement.GetProperty("__type").GetString()!.Split('#')[^1];
            _answers.Enqueue(new AnswerCall(operation, token, output, error, cause, fault == Fault.ApplyThenServerError ? "ServiceUnavailable(after applying)" : outcome));
        }

        if (fault == Fault.ApplyThenServerError)
        {
            await AnswerAsync(context, 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"injected\"}", null);
            return;
        }

        await AnswerAsync(context, answer.Status, answer.Body, null);
    }

    /// <summary>
    /// GetExecutionHistory (awsJson1_0): executionArn, reverseOrder, maxResults, nextToken; events with
    /// id, type and taskSucceededEventDetails / taskFailedEventDetails / taskTimedOutEventDetails, as
    /// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html has them.
    /// </summary>
    private async Task HandleHistoryAsync(HttpListenerContext context, JsonElement root)
    {
        Fault? fault = NextFault();
        if (fault is Fault.Throttle or Fault.ServerError or Fault.ApplyThenServerError or Fault.Hang)
        {
            if (fault == Fault.Hang)
            {
                await Task.Delay(HangFor);
            }

            string code = fault == Fault.Throttle ? "ThrottlingException" : "InternalFailure";
            await AnswerAsync(context, fault == Fault.Throttle ? 400 : 500, "{\"__type\":\"" + code + "\",\"message\":\"injected\"}", null);
            return;
        }

        _requests.AddOrUpdate("POST /history", 1, (_, n) => n + 1);
        string execution = root.GetProperty("executionArn").GetString()!;
        bool reverse = root.TryGetProperty("reverseOrder", out JsonElement r) && r.GetBoolean();
        int max = root.TryGetProperty("maxResults", out JsonElement m) ? m.GetInt32() : 100;
        int start = root.TryGetProperty("nextToken", out JsonElement n) ? int.Parse(n.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (!_history.ContainsKey(execution))
        {
            await AnswerAsync(context, 400, "{\"__type\":\"ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: '" + execution + "'\"}", null);
            return;
        }

        List<HistoryEvent> events = HistoryOf(execution).ToList();
        if (reverse)
        {
            events.Reverse();
        }

        List<HistoryEvent> page = events.Skip(start).Take(max).ToList();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (HistoryEvent e in page)
            {
                json.WriteStartObject();
                json.WriteNumber("id", e.Id);
                json.WriteString("type", e.Type);
                json.WriteNumber("timestamp", 1795608000.123);
                string? details = e.Type switch
                {
                    "TaskSucceeded" => "taskSucceededEventDetails",
                    "TaskFailed" => "taskFailedEventDetails",
                    "TaskTimedOut" => "taskTimedOutEventDetails",
                    _ => null,
                };
                if (details != null)
                {
                    json.WriteStartObject(details);
                    json.WriteString("resourceType", "dynamodb");
                    json.WriteString("resource", "putItem.waitForTaskToken");
                    if (e.Output != null)
                    {
                        json.WriteString("output", e.Output);
                    }

                    if (e.Error != null)
                    {
                        json.WriteString("error", e.Error);
                    }

                    if (e.Cause != null)
                    {
                        json.WriteString("cause", e.Cause);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (start + max < events.Count)
            {
                json.WriteString("nextToken", (start + max).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        await AnswerAsync(context, 200, Encoding.UTF8.GetString(stream.ToArray()), null);
    }

    private string Apply(string operation, string token, string? output)
    {
        if (token.Length == 0 || token.Length > 1024 || token.Contains('!'))
        {
            return "InvalidToken";
        }

        if (operation is not ("SendTaskSuccess" or "SendTaskFailure" or "SendTaskHeartbeat"))
        {
            return "UnknownOperationException";
        }

        if (operation == "SendTaskSuccess" && output != null)
        {
            try
            {
                JsonDocument.Parse(output).Dispose();
            }
            catch (JsonException)
            {
                return "InvalidOutput";
            }
        }

        lock (_tokens)
        {
            string? state = StateOf(token);
            if (state == null)
            {
                return "TaskDoesNotExist";
            }

            if (state != "waiting")
            {
                // Closed or timed out: Step Functions answers TaskTimedOut for both.
                return "TaskTimedOut";
            }

            if (operation != "SendTaskHeartbeat")
            {
                _tokens[token] = operation == "SendTaskSuccess" ? "success" : "failure";
                Record(token, operation == "SendTaskSuccess" ? "TaskSucceeded" : "TaskFailed", output, _lastError, _lastCause);
            }

            return "ok";
        }
    }

    private async Task HandlePublishAsync(HttpListenerContext context, byte[] body)
    {
        if (!IsSigned(context.Request, "iotdata"))
        {
            await AnswerAsync(context, 403, "{\"message\":\"missing or malformed SigV4 headers\"}", "ForbiddenException");
            return;
        }

        if (Interlocked.Decrement(ref _publishFaults) >= 0)
        {
            await AnswerAsync(context, 500, "{\"message\":\"injected\"}", "InternalFailureException");
            return;
        }

        Interlocked.Exchange(ref _publishFaults, 0);

        // The topic is one percent-encoded path label.
        string raw = context.Request.RawUrl!;
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string topic = Uri.UnescapeDataString(raw["/topics/".Length..(query < 0 ? raw.Length : query)]);
        string qs = query < 0 ? string.Empty : raw[(query + 1)..];
        var parameters = qs.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        int qos = parameters.TryGetValue("qos", out string? q) ? int.Parse(q, System.Globalization.CultureInfo.InvariantCulture) : 0;
        bool retain = parameters.TryGetValue("retain", out string? r) && r == "true";
        string payload = Encoding.UTF8.GetString(body);
        string topicArn = AwsCallLog.Arn("iot", "topic/" + topic);
        if (!await AdmitAsync(context, "iot:Publish", topicArn))
        {
            return;
        }

        // AWS IoT checks a retained publish against iot:RetainPublish as well.
        if (retain && !await AdmitAsync(context, "iot:RetainPublish", topicArn))
        {
            return;
        }

        _publishes.Enqueue(new PublishCall(topic, qos, retain, payload));
        if (PublishTo is { } broker)
        {
            // The local stack's broker stands in for IoT's message broker.
            await broker(topic, body, retain);
        }

        if (retain && body.Length == 0)
        {
            // An empty retained publish deletes the topic's retained message.
            _retained.TryRemove(topic, out _);
        }
        else if (retain)
        {
            _retained[topic] = payload;
        }

        await AnswerAsync(context, 200, "{}", null);
    }

    /// <summary>
    /// The ARN IAM checks a Step Functions call against: the execution it names, else the state machine
    /// it names, else the state machine of the task its token belongs to.
    /// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
    /// </summary>
    private string StatesResource(byte[] body)
    {
        string? Field(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "*";
            }

            if ((Field(root, "executionArn") ?? Field(root, "stateMachineArn")) is { } named)
            {
                return named;
            }

            if (Field(root, "taskToken") is { } token)
            {
                if (StepFunctions?.Service.StateMachineOfToken(token) is { } machine)
                {
                    return machine;
                }

                return _executionOfToken.TryGetValue(token, out string? execution) ? MachineOf(execution) : "*";
            }
        }
        catch (JsonException)
        {
            // The service answers it with its own error.
        }

        return "*";
    }

    /// <summary>arn:aws:states:R:A:execution:M:E → arn:aws:states:R:A:stateMachine:M.</summary>
    private static string MachineOf(string execution)
    {
        string[] parts = execution.Split(':');
        return parts.Length >= 8 ? string.Join(':', parts[..5]) + ":stateMachine:" + parts[6] : execution;
    }

    private Fault? NextFault()
    {
        lock (_faultLock)
        {
            return _faults.Count > 0 ? _faults.Dequeue() : null;
        }
    }

    private static bool IsSigned(HttpListenerRequest request, string service)
    {
        string? authorization = request.Headers["Authorization"];
        return authorization != null
            && authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal)
            && authorization.Contains("/" + service + "/aws4_request", StringComparison.Ordinal)
            && authorization.Contains("Signature=", StringComparison.Ordinal)
            && request.Headers["X-Amz-Date"] != null;
    }

    /// <summary>
    /// Answers a call as its service answers one IAM refused: the awsJson services (DynamoDB, Step
    /// Functions, and SQS with the Query protocol's code beside it) with a 400 and an
    /// AccessDeniedException body, the REST ones (IoT, Lambda) with a 403 and the error type header;
    /// every message in IAM's wording.
    /// </summary>
    internal static Task RefuseAsync(HttpListenerContext context, string action, string resource)
    {
        string message = AwsCallLog.AccessDeniedMessage(context.Request.Headers["Authorization"], action, resource);
        string Body(string messageField, string? type) => System.Text.Json.JsonSerializer.Serialize(type == null
            ? new Dictionary<string, string> { [messageField] = message }
            : new Dictionary<string, string> { ["__type"] = type, [messageField] = message });
        const string Coral = "com.amazon.coral.service#AccessDeniedException";
        switch (action[..action.IndexOf(':', StringComparison.Ordinal)])
        {
            case "dynamodb":
                return AnswerAsync(context, 400, Body("Message", Coral), null);
            case "states":
                return AnswerAsync(context, 400, Body("message", Coral), null);
            case "sqs":
                context.Response.Headers["x-amzn-query-error"] = "AccessDenied;Sender";
                return AnswerAsync(context, 400, Body("message", Coral), null);
            case "lambda":
                return AnswerAsync(context, 403, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Type"] = "User", ["Message"] = message }), "AccessDeniedException");
            case "iot" when action is "iot:Publish" or "iot:RetainPublish":
                // The data plane names neither the action nor the resource: a bare 403 ForbiddenException
                // "Forbidden", as the SDKs report it (aws/aws-sdk-js-v3#5562, boto/boto3#1447).
                return AnswerAsync(context, 403, "{\"message\":\"Forbidden\"}", "ForbiddenException");
            default:
                return AnswerAsync(context, 403, Body("message", null), "AccessDeniedException");
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

        await RefuseAsync(context, action, resource);
        return false;
    }

    internal static async Task AnswerAsync(HttpListenerContext context, int status, string json, string? errorTypeHeader)
    {
        try
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            if (errorTypeHeader != null)
            {
                context.Response.Headers["X-Amzn-ErrorType"] = errorTypeHeader;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(json);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
    }
}
