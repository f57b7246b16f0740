using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KitchenButton.StepFunctions.Engine;

namespace KitchenButton.StepFunctions.Api;

/// <summary>An answer of the API: the HTTP status and the JSON body.</summary>
public sealed record ApiAnswer(int Status, string Body);

/// <summary>
/// Step Functions' API over awsJson1.0 (POST /, X-Amz-Target: AWSStepFunctions.&lt;Operation&gt;) for a
/// <see cref="LocalStepFunctions"/>: requests and answers in the service's own shapes, timestamps as
/// epoch seconds, errors as 400 with a namespaced __type, so the gateway's client, an AWS SDK or the
/// AWS CLI drive it as they drive AWS.
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
/// </summary>
public sealed class StepFunctionsApi
{
    private const string ErrorNamespace = "com.amazonaws.swf.service.v2.model#";

    private readonly LocalStepFunctions _service;

    public StepFunctionsApi(LocalStepFunctions service) => _service = service;

    /// <summary>The service this API answers for.</summary>
    public LocalStepFunctions Service => _service;

    public ApiAnswer Handle(string operation, ReadOnlySpan<byte> body)
    {
        JsonElement request;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body.ToArray());
            request = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error("SerializationException", "the request body is not JSON");
        }

        try
        {
            return operation switch
            {
                "CreateStateMachine" => Create(request),
                "DescribeStateMachine" => Answer(w => Machine(w, _service.DescribeStateMachine(Required(request, "stateMachineArn")), full: true)),
                "ListStateMachines" => ListMachines(),
                "StartExecution" => Start(request),
                "DescribeExecution" => Answer(w => DescribeExecution(w, _service.DescribeExecution(Required(request, "executionArn")))),
                "ListExecutions" => ListExecutions(request),
                "StopExecution" => Answer(w => Time(w, "stopDate", _service.StopExecution(Required(request, "executionArn"), Optional(request, "error"), Optional(request, "cause")))),
                "GetExecutionHistory" => History(request),
                "SendTaskSuccess" => Done(() => _service.SendTaskSuccess(Required(request, "taskToken"), Required(request, "output"))),
                "SendTaskFailure" => Done(() => _service.SendTaskFailure(Required(request, "taskToken"), Optional(request, "error"), Optional(request, "cause"))),
                "SendTaskHeartbeat" => Done(() => _service.SendTaskHeartbeat(Required(request, "taskToken"))),
                _ => Error("UnknownOperationException", "The operation " + operation + " is not served by the local Step Functions"),
            };
        }
        catch (StepFunctionsException e)
        {
            return Error(e.Code, e.Message);
        }
    }

    private ApiAnswer Create(JsonElement request)
    {
        string type = Optional(request, "type") ?? "STANDARD";
        if (type != "STANDARD")
        {
            throw new StepFunctionsException("ValidationException", "The local Step Functions runs STANDARD state machines only, not " + type);
        }

        StateMachine machine = _service.CreateStateMachine(Required(request, "name"), Required(request, "definition"), Optional(request, "roleArn") ?? "arn:aws:iam::" + _service.Account + ":role/local-states");
        return Answer(w =>
        {
            w.WriteString("stateMachineArn", machine.Arn);
            Time(w, "creationDate", machine.CreationDate);
        });
    }

    private ApiAnswer ListMachines() => Answer(w =>
    {
        w.WriteStartArray("stateMachines");
        foreach (StateMachine machine in _service.StateMachines)
        {
            w.WriteStartObject();
            Machine(w, machine, full: false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private ApiAnswer Start(JsonElement request)
    {
        Execution execution = _service.StartExecution(Required(request, "stateMachineArn"), Optional(request, "name"), Optional(request, "input"));
        return Answer(w =>
        {
            w.WriteString("executionArn", execution.Arn);
            Time(w, "startDate", execution.StartDate);
        });
    }

    private ApiAnswer ListExecutions(JsonElement request)
    {
        ExecutionStatus? filter = null;
        if (Optional(request, "statusFilter") is { } status)
        {
            filter = Enum.TryParse(status, out ExecutionStatus parsed) ? parsed : throw new StepFunctionsException("ValidationException", "statusFilter is not an execution status: " + status);
        }

        IReadOnlyList<Execution> all = _service.ListExecutions(Required(request, "stateMachineArn"), filter);
        (int start, int max) = Page(request, all.Count);
        return Answer(w =>
        {
            w.WriteStartArray("executions");
            for (int i = start; i < Math.Min(all.Count, start + max); i++)
            {
                w.WriteStartObject();
                ExecutionItem(w, all[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (start + max < all.Count)
            {
                w.WriteString("nextToken", (start + max).ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    private ApiAnswer History(JsonElement request)
    {
        Execution execution = _service.DescribeExecution(Required(request, "executionArn"));
        bool reverse = request.TryGetProperty("reverseOrder", out JsonElement r) && r.ValueKind == JsonValueKind.True;
        bool data = !request.TryGetProperty("includeExecutionData", out JsonElement d) || d.ValueKind != JsonValueKind.False;
        var events = new List<ExecutionEvent>(execution.History.Events);
        if (reverse)
        {
            events.Reverse();
        }

        (int start, int max) = Page(request, events.Count);
        return Answer(w =>
        {
            w.WriteStartArray("events");
            for (int i = start; i < Math.Min(events.Count, start + max); i++)
            {
                ExecutionEvent e = events[i];
                w.WriteStartObject();
                Time(w, "timestamp", e.Timestamp);
                w.WriteString("type", e.Type);
                w.WriteNumber("id", e.Id);
                w.WriteNumber("previousEventId", e.PreviousEventId);
                if (e.Details is not null)
                {
                    w.WritePropertyName(e.DetailsName);
                    w.WriteStartObject();
                    foreach (KeyValuePair<string, JsonNode?> field in e.Details)
                    {
                        // Without execution data, inputs, outputs and parameters are left out, as Step Functions does.
                        if (!data && field.Key is "input" or "output" or "parameters")
                        {
                            continue;
                        }

                        w.WritePropertyName(field.Key);
                        if (field.Value is null)
                        {
                            w.WriteNullValue();
                        }
                        else
                        {
                            field.Value.WriteTo(w);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (start + max < events.Count)
            {
                w.WriteString("nextToken", (start + max).ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    private static (int Start, int Max) Page(JsonElement request, int count)
    {
        int max = request.TryGetProperty("maxResults", out JsonElement m) && m.TryGetInt32(out int n) && n > 0 ? Math.Min(n, 1000) : 100;
        int start = 0;
        if (Optional(request, "nextToken") is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > count))
        {
            throw new StepFunctionsException("InvalidToken", "Invalid Token: 'the nextToken was not given by this service'");
        }

        return (start, max);
    }

    private static void Machine(Utf8JsonWriter w, StateMachine machine, bool full)
    {
        w.WriteString("stateMachineArn", machine.Arn);
        w.WriteString("name", machine.Name);
        w.WriteString("type", "STANDARD");
        Time(w, "creationDate", machine.CreationDate);
        if (full)
        {
            w.WriteString("status", "ACTIVE");
            w.WriteString("definition", machine.Definition);
            w.WriteString("roleArn", machine.RoleArn);
        }
    }

    private static void ExecutionItem(Utf8JsonWriter w, Execution execution)
    {
        w.WriteString("executionArn", execution.Arn);
        w.WriteString("stateMachineArn", execution.StateMachine.Arn);
        w.WriteString("name", execution.Name);
        w.WriteString("status", execution.Status.ToString());
        Time(w, "startDate", execution.StartDate);
        if (execution.StopDate is DateTimeOffset stopped)
        {
            Time(w, "stopDate", stopped);
        }
    }

    private static void DescribeExecution(Utf8JsonWriter w, Execution execution)
    {
        ExecutionItem(w, execution);
        w.WriteString("input", execution.Input);
        if (execution.Output is not null)
        {
            w.WriteString("output", execution.Output);
        }

        if (execution.Error is not null)
        {
            w.WriteString("error", execution.Error);
        }

        if (execution.Cause is not null)
        {
            w.WriteString("cause", execution.Cause);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset at) => w.WriteNumber(name, at.ToUnixTimeMilliseconds() / 1000.0);

    private static string Required(JsonElement request, string field) =>
        Optional(request, field) ?? throw new StepFunctionsException("ValidationException", "1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: Member must not be null");

    private static string? Optional(JsonElement request, string field) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ApiAnswer Done(Action act)
    {
        act();
        return new ApiAnswer(200, "{}");
    }

    private static ApiAnswer Answer(Action<Utf8JsonWriter> write, int status = 200)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return new ApiAnswer(status, Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static ApiAnswer Error(string code, string message) => Answer(w =>
    {
        w.WriteString("__type", ErrorNamespace + code);
        w.WriteString("message", message);
    }, 400);
}
