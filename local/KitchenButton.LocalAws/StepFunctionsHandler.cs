using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Api;

namespace KitchenButton.LocalAws;

/// <summary>One answer the endpoint received (SendTaskSuccess/Failure/Heartbeat) and what it answered.</summary>
public sealed record AnswerCall(string Operation, string TaskToken, string? Output, string? Error, string? Cause, string Answer);

/// <summary>One event of an execution's history, as the endpoint reports it.</summary>
public sealed record HistoryEvent(long Id, string Type, string? Output, string? Error, string? Cause);

/// <summary>
/// The Step Functions API (awsJson1_0: POST /, X-Amz-Target, errors as 400 {"__type"}): answered by
/// the local Step Functions when one is attached (<see cref="Engine"/>), otherwise by a token stand-in
/// that keeps tokens in their real states (waiting, closed, timed out) and their executions' histories,
/// for the gateway's own tests. Answers and history reads meet the injected faults first either way.
/// </summary>
public sealed class StepFunctionsHandler
{
    private readonly Action<string> _count;
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentQueue<AnswerCall> _answers = new();
    private readonly ConcurrentDictionary<string, string> _executionOfToken = new();
    private readonly ConcurrentDictionary<string, List<HistoryEvent>> _history = new();
    private string? _lastError;
    private string? _lastCause;

    /// <param name="count">Counts a request by "METHOD path" (GetExecutionHistory as "POST /history").</param>
    public StepFunctionsHandler(Action<string> count)
    {
        _count = count;
    }

    /// <summary>The faults answers and history reads meet; none unless a test schedules them.</summary>
    public IFaultSource Faults { get; set; } = NoFaults.Instance;

    /// <summary>The local Step Functions that answers every call; without it, the token stand-in does.</summary>
    public StepFunctionsApi? Engine { get; set; }

    public IReadOnlyList<AnswerCall> Answers => _answers.ToArray();

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

    /// <summary>success, failure, waiting, timed-out, or null for a token never seen.</summary>
    public string? StateOf(string token) => _tokens.TryGetValue(token, out string? s) ? s : null;

    /// <summary>The execution's history events, oldest first, as GetExecutionHistory reports them.</summary>
    public IReadOnlyList<HistoryEvent> HistoryOf(string executionArn)
    {
        lock (_history)
        {
            return _history.TryGetValue(executionArn, out List<HistoryEvent>? events) ? events.ToArray() : Array.Empty<HistoryEvent>();
        }
    }

    /// <summary>Whether the call is signed and typed as the service requires, and what IAM checks it against.</summary>
    public static bool IsWellFormed(HttpListenerRequest request) =>
        AwsWire.IsSigned(request, "states") && request.ContentType == "application/x-amz-json-1.0";

    public Task HandleAsync(HttpListenerContext context, string operation, byte[] body) =>
        Engine is { } engine ? RelayAsync(context, engine, operation, body) : StandInAsync(context, operation, body);

    /// <summary>
    /// The ARN IAM checks a Step Functions call against: the execution it names, else the state machine
    /// it names, else the state machine of the task its token belongs to.
    /// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
    /// </summary>
    public string ResourceOf(byte[] body)
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
                if (Engine?.Service.StateMachineOfToken(token) is { } machine)
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

    /// <summary>A call for the local Step Functions; every answer is recorded with what it was answered.</summary>
    private async Task RelayAsync(HttpListenerContext context, StepFunctionsApi engine, string operation, byte[] body)
    {
        bool answering = operation.StartsWith("SendTask", StringComparison.Ordinal);
        Fault? fault = answering || operation == "GetExecutionHistory" ? Faults.Next() : null;
        TaskAnswer sent = answering ? TaskAnswer.Read(body) : TaskAnswer.None;
        await FaultAnswers.HoldIfHangAsync(Faults, fault);
        if (FaultAnswers.RefusesBeforeApplying(fault))
        {
            if (answering)
            {
                _answers.Enqueue(sent.Recorded(operation, FaultAnswers.CodeOf(fault!.Value)));
            }

            await FaultAnswers.AnswerRefusedAsync(context, fault!.Value);
            return;
        }

        if (operation == "GetExecutionHistory")
        {
            _count("POST /history");
        }

        ApiAnswer answer = engine.Handle(operation, body);
        if (answering)
        {
            string outcome = answer.Status == 200 ? "ok" : JsonDocument.Parse(answer.Body).RootElement.GetProperty("__type").GetString()!.Split('#')[^1];
            _answers.Enqueue(sent.Recorded(operation, fault == Fault.ApplyThenServerError ? "ServiceUnavailable(after applying)" : outcome));
        }

        if (fault == Fault.ApplyThenServerError)
        {
            await FaultAnswers.AnswerAppliedAsync(context);
            return;
        }

        await AwsWire.AnswerAsync(context, answer.Status, answer.Body, null);
    }

    /// <summary>The token stand-in: answers close waiting tokens, and their executions' histories record it.</summary>
    private async Task StandInAsync(HttpListenerContext context, string operation, byte[] body)
    {
        if (operation == "GetExecutionHistory")
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            await HistoryAsync(context, doc.RootElement);
            return;
        }

        // A body that is no JSON fails the call as a 500, as the service's own parser would refuse it.
        JsonDocument.Parse(body).Dispose();
        TaskAnswer sent = TaskAnswer.Read(body);
        Fault? fault = Faults.Next();
        await FaultAnswers.HoldIfHangAsync(Faults, fault);
        if (FaultAnswers.RefusesBeforeApplying(fault))
        {
            _answers.Enqueue(sent.Recorded(operation, FaultAnswers.CodeOf(fault!.Value)));
            await FaultAnswers.AnswerRefusedAsync(context, fault!.Value);
            return;
        }

        string answer;
        lock (_tokens)
        {
            _lastError = sent.Error;
            _lastCause = sent.Cause;
            answer = Apply(operation, sent.Token, sent.Output);
        }

        _answers.Enqueue(sent.Recorded(operation, fault == Fault.ApplyThenServerError ? "ServiceUnavailable(after applying)" : answer));
        if (fault == Fault.ApplyThenServerError)
        {
            await FaultAnswers.AnswerAppliedAsync(context);
            return;
        }

        if (answer == "ok")
        {
            await AwsWire.AnswerAsync(context, 200, "{}", null);
            return;
        }

        // Real shapes: a namespaced __type in the body, as Step Functions sends it.
        await AwsWire.AnswerAsync(context, 400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#" + answer + "\",\"message\":\"" + answer + "\"}", null);
    }

    /// <summary>
    /// GetExecutionHistory (awsJson1_0): executionArn, reverseOrder, maxResults, nextToken; events with
    /// id, type and taskSucceededEventDetails / taskFailedEventDetails / taskTimedOutEventDetails, as
    /// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html has them.
    /// </summary>
    private async Task HistoryAsync(HttpListenerContext context, JsonElement root)
    {
        Fault? fault = Faults.Next();
        if (fault != null)
        {
            // A history read applies nothing: a 503 after applying is a 500 here too.
            await FaultAnswers.HoldIfHangAsync(Faults, fault);
            await FaultAnswers.AnswerRefusedAsync(context, fault.Value);
            return;
        }

        _count("POST /history");
        string execution = root.GetProperty("executionArn").GetString()!;
        bool reverse = root.TryGetProperty("reverseOrder", out JsonElement r) && r.GetBoolean();
        int max = root.TryGetProperty("maxResults", out JsonElement m) ? m.GetInt32() : 100;
        int start = root.TryGetProperty("nextToken", out JsonElement n) ? int.Parse(n.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (!_history.ContainsKey(execution))
        {
            await AwsWire.AnswerAsync(context, 400, "{\"__type\":\"ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: '" + execution + "'\"}", null);
            return;
        }

        List<HistoryEvent> events = HistoryOf(execution).ToList();
        if (reverse)
        {
            events.Reverse();
        }

        await AwsWire.AnswerAsync(context, 200, HistoryPage(events, start, max), null);
    }

    private static string HistoryPage(List<HistoryEvent> events, int start, int max)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (HistoryEvent e in events.Skip(start).Take(max))
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

        return Encoding.UTF8.GetString(stream.ToArray());
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

    /// <summary>arn:aws:states:R:A:execution:M:E → arn:aws:states:R:A:stateMachine:M.</summary>
    private static string MachineOf(string execution)
    {
        string[] parts = execution.Split(':');
        return parts.Length >= 8 ? string.Join(':', parts[..5]) + ":stateMachine:" + parts[6] : execution;
    }

    /// <summary>The fields of a SendTask* request, read leniently: the service answers a malformed one itself.</summary>
    private readonly record struct TaskAnswer(string Token, string? Output, string? Error, string? Cause)
    {
        public static readonly TaskAnswer None = new(string.Empty, null, null, null);

        public static TaskAnswer Read(byte[] body)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                JsonElement root = doc.RootElement;
                return new TaskAnswer(
                    root.TryGetProperty("taskToken", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty,
                    root.TryGetProperty("output", out JsonElement o) ? o.GetString() : null,
                    root.TryGetProperty("error", out JsonElement e) ? e.GetString() : null,
                    root.TryGetProperty("cause", out JsonElement c) ? c.GetString() : null);
            }
            catch (JsonException)
            {
                return None;
            }
        }

        public AnswerCall Recorded(string operation, string answer) => new(operation, Token, Output, Error, Cause, answer);
    }
}
