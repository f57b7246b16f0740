using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// Step Functions' ListStateMachines and StartExecution for the state machines the stack registers.
/// No local workflow engine exists yet: starting an execution runs what the stack registered for it
/// (the local stack parks the order at its station as the workflow's kitchen step would).
/// </summary>
public sealed class LocalStateMachines
{
    private const string ArnPrefix = "arn:aws:states:eu-west-1:123456789012:";

    private readonly ConcurrentDictionary<string, Func<string, JsonElement, Task>> _machines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _executions = new(StringComparer.Ordinal);

    /// <summary>Registers a state machine by name; <paramref name="start"/> gets the execution ARN and its input.</summary>
    public string Register(string name, Func<string, JsonElement, Task> start)
    {
        _machines[name] = start;
        return ArnPrefix + "stateMachine:" + name;
    }

    /// <summary>Executions started so far: ARN to input.</summary>
    public IReadOnlyDictionary<string, string> Executions => new Dictionary<string, string>(_executions);

    internal async Task HandleAsync(HttpListenerContext context, string operation, JsonElement root)
    {
        if (operation == "ListStateMachines")
        {
            var machines = new List<Dictionary<string, string>>();
            foreach (string name in _machines.Keys)
            {
                machines.Add(new Dictionary<string, string> { ["name"] = name, ["stateMachineArn"] = ArnPrefix + "stateMachine:" + name, ["type"] = "STANDARD" });
            }

            await LocalAwsEndpoint.AnswerAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object> { ["stateMachines"] = machines }), null);
            return;
        }

        string arn = root.TryGetProperty("stateMachineArn", out JsonElement a) ? a.GetString() ?? string.Empty : string.Empty;
        string machine = arn.StartsWith(ArnPrefix + "stateMachine:", StringComparison.Ordinal) ? arn[(ArnPrefix.Length + "stateMachine:".Length)..] : string.Empty;
        if (!_machines.TryGetValue(machine, out Func<string, JsonElement, Task>? start))
        {
            await LocalAwsEndpoint.AnswerAsync(context, 400, "{\"__type\":\"StateMachineDoesNotExist\",\"message\":\"State Machine Does Not Exist: '" + arn + "'\"}", null);
            return;
        }

        string executionName = root.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? Guid.NewGuid().ToString() : Guid.NewGuid().ToString();
        string execution = ArnPrefix + "execution:" + machine + ":" + executionName;
        string input = root.TryGetProperty("input", out JsonElement i) ? i.GetString() ?? "{}" : "{}";
        if (!_executions.TryAdd(execution, input))
        {
            await LocalAwsEndpoint.AnswerAsync(context, 400, "{\"__type\":\"ExecutionAlreadyExists\",\"message\":\"Execution Already Exists: '" + execution + "'\"}", null);
            return;
        }

        using JsonDocument parsed = JsonDocument.Parse(input);
        await start(execution, parsed.RootElement);
        await LocalAwsEndpoint.AnswerAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object> { ["executionArn"] = execution, ["startDate"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 }), null);
    }
}
