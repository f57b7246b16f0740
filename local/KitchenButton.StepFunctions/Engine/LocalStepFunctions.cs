using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Definition;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// A local Step Functions service for Standard workflows in JSONata mode: it creates state machines
/// (refusing, whole, a definition with anything it does not run), starts, describes, lists and stops
/// executions, keeps their histories, and takes task-token answers with Step Functions' rules. Its
/// awsJson API is <see cref="Api.StepFunctionsApi"/>.
/// </summary>
public sealed partial class LocalStepFunctions
{
    private readonly ConcurrentDictionary<string, StateMachine> _machines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Execution> _executions = new(StringComparer.Ordinal);
    private readonly JsonataEngine _jsonata;
    private readonly EngineParts _parts;

    /// <param name="integrations">What Task states may call; a definition naming anything else is refused.</param>
    /// <param name="random">Draws retry jitter; seeded in tests.</param>
    public LocalStepFunctions(JsonataEngine jsonata, IReadOnlyList<ITaskIntegration> integrations, TimeProvider time, string region = "eu-west-1", string account = "123456789012", Random? random = null)
    {
        _jsonata = jsonata;
        Region = region;
        Account = account;
        _parts = new EngineParts(time, new FieldEvaluator(jsonata), integrations, new TaskTokens(), region, random ?? Random.Shared);
    }

    public string Region { get; }

    public string Account { get; }

    private TimeProvider Time => _parts.Time;

    /// <summary>
    /// Called once per execution as it ends, with the event EventBridge carries for it ("Step Functions
    /// Execution Status Change"): the local stack routes it as the deployed rule does.
    /// </summary>
    public Func<Execution, string, Task>? ExecutionEnded { get; set; }

    public IReadOnlyList<StateMachine> StateMachines => _machines.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();

    public StateMachine CreateStateMachine(string name, string definition, string roleArn)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
        }

        var problems = new List<DefinitionProblem>(DefinitionCheck.Check(definition, _jsonata));
        if (problems.Count == 0)
        {
            using JsonDocument parsed = JsonDocument.Parse(definition);
            Resources(parsed.RootElement, "$", problems);
        }

        if (problems.Count > 0)
        {
            throw new StepFunctionsException("InvalidDefinition", "Invalid State Machine Definition: '" + string.Join("; ", problems) + "'");
        }

        string arn = "arn:aws:states:" + Region + ":" + Account + ":stateMachine:" + name;
        var machine = new StateMachine(arn, name, definition, roleArn, Time.GetUtcNow());
        StateMachine kept = _machines.GetOrAdd(arn, machine);
        if (!ReferenceEquals(kept, machine) && (kept.Definition != definition || kept.RoleArn != roleArn))
        {
            throw new StepFunctionsException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }

        return kept;
    }

    public StateMachine DescribeStateMachine(string arn) =>
        _machines.TryGetValue(arn, out StateMachine? machine) ? machine : throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");

    public Execution StartExecution(string stateMachineArn, string? name, string? input)
    {
        StateMachine machine = DescribeStateMachine(stateMachineArn);
        name ??= Guid.NewGuid().ToString();
        if (!ValidName().IsMatch(name))
        {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
        }

        input ??= "{}";
        try
        {
            JsonDocument.Parse(input).Dispose();
        }
        catch (JsonException e)
        {
            throw new StepFunctionsException("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.Message + "'");
        }

        string arn = "arn:aws:states:" + Region + ":" + Account + ":execution:" + machine.Name + ":" + name;
        var execution = new Execution(arn, name, machine, input, Time.GetUtcNow(), Time);
        if (!_executions.TryAdd(arn, execution))
        {
            Execution existing = _executions[arn];

            // StartExecution is idempotent for a running execution started with the same input.
            return existing.Status == ExecutionStatus.RUNNING && existing.Input == input
                ? existing
                : throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }

        var trail = new HistoryTrail(0);
        execution.History.Add(trail, "ExecutionStarted", new JsonObject
        {
            ["input"] = input,
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
            ["roleArn"] = machine.RoleArn,
        });
        _ = Task.Run(() => RunAsync(execution, trail));
        return execution;
    }

    public Execution DescribeExecution(string arn) =>
        _executions.TryGetValue(arn, out Execution? execution) ? execution : throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");

    /// <summary>The machine's executions, newest first, as ListExecutions orders them.</summary>
    public IReadOnlyList<Execution> ListExecutions(string stateMachineArn, ExecutionStatus? status)
    {
        DescribeStateMachine(stateMachineArn);
        return _executions.Values
            .Where(e => e.StateMachine.Arn == stateMachineArn && (status is null || e.Status == status))
            .OrderByDescending(e => e.StartDate).ThenByDescending(e => e.Arn, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Aborts a running execution: its waiting tasks' tokens die at once. Stopping an ended one changes nothing.</summary>
    public DateTimeOffset StopExecution(string arn, string? error, string? cause)
    {
        Execution execution = DescribeExecution(arn);
        DateTimeOffset now = Time.GetUtcNow();
        if (execution.End(ExecutionStatus.ABORTED, now, null, error, cause))
        {
            var details = new JsonObject();
            if (error is not null)
            {
                details["error"] = error;
            }

            if (cause is not null)
            {
                details["cause"] = cause;
            }

            execution.History.Add(new HistoryTrail(execution.History.Count), "ExecutionAborted", details, last: true);
            _parts.Tokens.CloseAll(execution.Arn);
            execution.Stopping.Cancel();
            _ = AnnounceAsync(execution);
        }

        return execution.StopDate ?? now;
    }

    public void SendTaskSuccess(string token, string output)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            throw new StepFunctionsException("InvalidOutput", "Invalid Output: '" + e.Message + "'");
        }

        Reply(_parts.Tokens.Send(token, new TaskAnswer(parsed, null, null)));
    }

    public void SendTaskFailure(string token, string? error, string? cause) =>
        Reply(_parts.Tokens.Send(token, new TaskAnswer(null, string.IsNullOrEmpty(error) ? "States.TaskFailed" : error, cause ?? string.Empty)));

    /// <summary>The state machine whose execution a task token was issued to (what IAM checks a SendTask call against), or null.</summary>
    public string? StateMachineOfToken(string token) =>
        _parts.Tokens.ExecutionOf(token) is { } execution && _executions.TryGetValue(execution, out Execution? found) ? found.StateMachine.Arn : null;

    public void SendTaskHeartbeat(string token) => Reply(_parts.Tokens.Heartbeat(token));

    private static void Reply(TokenReply reply)
    {
        switch (reply)
        {
            case TokenReply.InvalidToken:
                throw new StepFunctionsException("InvalidToken", "Invalid Token: 'Invalid token'");
            case TokenReply.TaskDoesNotExist:
                throw new StepFunctionsException("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
            case TokenReply.TaskTimedOut:
                throw new StepFunctionsException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
    }

    private async Task RunAsync(Execution execution, HistoryTrail trail)
    {
        var runner = new ExecutionRunner(execution, _parts);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(execution.Stopping.Token);
        using ITimer? timeout = execution.StateMachine.Timeout is TimeSpan after
            ? Time.CreateTimer(_ => limit.Cancel(), null, after, Timeout.InfiniteTimeSpan)
            : null;
        ExecutionStatus status;
        string? output = null;
        string? error = null;
        string? cause = null;
        try
        {
            JsonNode? result = await runner.RunStatesAsync(execution.StateMachine.Root, JsonNode.Parse(execution.Input), new VariableScope(null), trail, limit.Token);
            status = ExecutionStatus.SUCCEEDED;
            output = result?.ToJsonString() ?? "null";
        }
        catch (StatesError e) when (!limit.IsCancellationRequested)
        {
            status = ExecutionStatus.FAILED;
            (error, cause) = (e.Error, e.Cause);
        }
        catch (Exception) when (limit.IsCancellationRequested && !execution.Stopping.IsCancellationRequested)
        {
            status = ExecutionStatus.TIMED_OUT;
            (error, cause) = (StatesError.Timeout, "The execution ran longer than the state machine's TimeoutSeconds.");
        }
        catch (Exception) when (execution.Stopping.IsCancellationRequested)
        {
            // StopExecution has ended it and written its history.
            execution.Close();
            return;
        }
        catch (Exception e)
        {
            // A fault of the engine itself fails the execution rather than leaving it running forever.
            status = ExecutionStatus.FAILED;
            (error, cause) = (StatesError.Runtime, e.GetType().Name + ": " + e.Message);
        }

        if (execution.End(status, Time.GetUtcNow(), output, error, cause))
        {
            JsonObject details = status == ExecutionStatus.SUCCEEDED
                ? new JsonObject { ["output"] = output, ["outputDetails"] = new JsonObject { ["truncated"] = false } }
                : new JsonObject { ["error"] = error, ["cause"] = cause };
            string type = status switch
            {
                ExecutionStatus.SUCCEEDED => "ExecutionSucceeded",
                ExecutionStatus.TIMED_OUT => "ExecutionTimedOut",
                _ => "ExecutionFailed",
            };
            execution.History.Add(trail, type, details, last: true);
            await AnnounceAsync(execution);
        }

        execution.Close();
    }

    private async Task AnnounceAsync(Execution execution)
    {
        if (ExecutionEnded is { } ended)
        {
            try
            {
                await ended(execution, StatusChangeEvent(execution));
            }
            catch (Exception)
            {
                // EventBridge delivery is not the execution's concern; the receiver reports its own failures.
            }
        }

        execution.Close();
    }

    /// <summary>
    /// EventBridge's "Step Functions Execution Status Change" event for the execution as it stands.
    /// https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
    /// </summary>
    public string StatusChangeEvent(Execution execution)
    {
        var detail = new JsonObject
        {
            ["executionArn"] = execution.Arn,
            ["stateMachineArn"] = execution.StateMachine.Arn,
            ["name"] = execution.Name,
            ["status"] = execution.Status.ToString(),
            ["startDate"] = execution.StartDate.ToUnixTimeMilliseconds(),
            ["stopDate"] = execution.StopDate?.ToUnixTimeMilliseconds(),
            ["input"] = execution.Input,
            ["output"] = execution.Output,
            ["inputDetails"] = new JsonObject { ["included"] = true },
            ["error"] = execution.Error,
            ["cause"] = execution.Cause,
        };
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Step Functions Execution Status Change",
            ["source"] = "aws.states",
            ["account"] = Account,
            ["time"] = (execution.StopDate ?? Time.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["region"] = Region,
            ["resources"] = new JsonArray(execution.Arn),
            ["detail"] = detail,
        }.ToJsonString();
    }

    /// <summary>Every Task resource must be one this service integrates with.</summary>
    private void Resources(JsonElement machine, string path, List<DefinitionProblem> problems)
    {
        if (!machine.TryGetProperty("States", out JsonElement states) || states.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty state in states.EnumerateObject())
        {
            string at = path + ".States." + state.Name;
            if (state.Value.TryGetProperty("Resource", out JsonElement r) && r.GetString() is { } arn
                && (TaskResource.Parse(arn) is not { } resource || !_parts.Integrates(resource)))
            {
                problems.Add(new DefinitionProblem(at + ".Resource", "'" + arn + "' has no integration in this local service"));
            }

            if (state.Value.TryGetProperty("ItemProcessor", out JsonElement processor))
            {
                Resources(processor, at + ".ItemProcessor", problems);
            }

            if (state.Value.TryGetProperty("Branches", out JsonElement branches) && branches.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement branch in branches.EnumerateArray())
                {
                    Resources(branch, at + ".Branches[" + i++ + "]", problems);
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}\\z")]
    private static partial Regex ValidName();
}
