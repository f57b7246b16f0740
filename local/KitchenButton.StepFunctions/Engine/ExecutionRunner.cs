using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Integrations;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// Runs one execution of a JSONata-mode state machine, state by state, recording each step in its
/// history as Step Functions does. What each state type does, and when Retry and Catch apply, follows
/// the Amazon States Language: https://states-language.net/ and
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html.
/// </summary>
internal sealed class ExecutionRunner
{
    /// <summary>A Task state's default TimeoutSeconds.</summary>
    private const int DefaultTaskTimeoutSeconds = 99_999_999;

    /// <summary>The largest payload a state may pass on (256 KiB).</summary>
    private const int PayloadLimit = 256 * 1024;

    /// <summary>An execution fails once its history reaches this many events.</summary>
    private const int HistoryLimit = 25_000;

    /// <summary>Timers wait at most this long at a time (a .NET timer's limit is about 49 days); longer waits wake and wait again.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private readonly Execution _execution;
    private readonly EngineParts _parts;
    private string? _executionContext;

    public ExecutionRunner(Execution execution, EngineParts parts)
    {
        _execution = execution;
        _parts = parts;
    }

    private TimeProvider Time => _parts.Time;

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>Runs the states of a machine, a Map's item processor or a Parallel branch, from StartAt to an end.</summary>
    public async Task<JsonNode?> RunStatesAsync(JsonElement machine, JsonNode? input, VariableScope scope, HistoryTrail trail, CancellationToken cancellationToken)
    {
        JsonElement states = machine.GetProperty("States");
        string name = machine.GetProperty("StartAt").GetString()!;
        JsonNode? stateInput = input;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_execution.History.Count >= HistoryLimit)
            {
                throw new StatesError(StatesError.Runtime, "The execution reached the limit of " + HistoryLimit + " history events.");
            }

            (JsonNode? output, string? next) = await RunStateAsync(name, states.GetProperty(name), stateInput, scope, trail, cancellationToken);
            if (next is null)
            {
                return output;
            }

            name = next;
            stateInput = output;
        }
    }

    private async Task<(JsonNode? Output, string? Next)> RunStateAsync(string name, JsonElement state, JsonNode? input, VariableScope scope, HistoryTrail trail, CancellationToken cancellationToken)
    {
        string type = state.GetProperty("Type").GetString()!;
        var context = new StateContext(name, Time.GetUtcNow(), 0);
        _execution.History.Add(trail, type + "StateEntered", new JsonObject { ["name"] = name, ["input"] = Text(input) });
        switch (type)
        {
            case "Fail":
                {
                    Dictionary<string, string> bindings = Bindings(scope, input, context, null);
                    string error = TextField(state, "Error", bindings, name) ?? "States.Fail";
                    string? cause = TextField(state, "Cause", bindings, name);
                    throw new StatesError(error, cause);
                }

            case "Succeed":
                {
                    JsonNode? output = state.TryGetProperty("Output", out JsonElement o) ? Evaluate(o, Bindings(scope, input, context, null), name, "Output") : input;
                    return (Exit(type, name, output, trail), null);
                }

            case "Choice":
                return Choose(name, state, input, scope, context, trail);

            case "Pass":
                return Finish(type, name, state, input, null, scope, context, trail);

            case "Wait":
                await WaitAsync(name, state, input, scope, context, cancellationToken);
                return Finish(type, name, state, input, null, scope, context, trail);

            default:
                return await RunWithRetryAsync(type, name, state, input, scope, context, trail, cancellationToken);
        }
    }

    /// <summary>Task, Map and Parallel: the work, its Retry rules in order, then its Catch rules in order.</summary>
    private async Task<(JsonNode? Output, string? Next)> RunWithRetryAsync(string type, string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, HistoryTrail trail, CancellationToken cancellationToken)
    {
        JsonElement[] retriers = Rules(state, "Retry");
        int[] attempts = new int[retriers.Length];
        while (true)
        {
            try
            {
                JsonNode? result = type switch
                {
                    "Task" => await RunTaskAsync(name, state, input, scope, context, trail, cancellationToken),
                    "Map" => await RunMapAsync(name, state, input, scope, context, trail, cancellationToken),
                    _ => await RunParallelAsync(name, state, input, scope, context, trail, cancellationToken),
                };
                return Finish(type, name, state, input, result, scope, context, trail);
            }
            catch (StatesError e) when (!cancellationToken.IsCancellationRequested)
            {
                int rule = Array.FindIndex(retriers, r => StatesError.Matches(Names(r), e.Error));
                if (rule >= 0 && attempts[rule] < Int(retriers[rule], "MaxAttempts", 3))
                {
                    await Task.Delay(RetryDelay(retriers[rule], attempts[rule]), Time, cancellationToken);
                    attempts[rule]++;
                    context = context with { RetryCount = context.RetryCount + 1 };
                    continue;
                }

                foreach (JsonElement catcher in Rules(state, "Catch"))
                {
                    if (StatesError.Matches(Names(catcher), e.Error))
                    {
                        var errorOutput = new JsonObject { ["Error"] = e.Error, ["Cause"] = e.Cause };
                        Dictionary<string, string> bindings = Bindings(scope, input, context, errorOutput);
                        JsonNode? output = catcher.TryGetProperty("Output", out JsonElement o) ? Evaluate(o, bindings, name, "Catch.Output") : errorOutput;
                        Assign(catcher, bindings, scope, name);
                        return (Exit(type, name, output, trail), catcher.GetProperty("Next").GetString());
                    }
                }

                throw;
            }
        }
    }

    /// <summary>IntervalSeconds × BackoffRate^attempt, at most MaxDelaySeconds; FULL jitter draws between none and that.</summary>
    private TimeSpan RetryDelay(JsonElement retrier, int attempt)
    {
        double interval = Int(retrier, "IntervalSeconds", 1);
        double backoff = retrier.TryGetProperty("BackoffRate", out JsonElement b) ? b.GetDouble() : 2.0;
        double seconds = interval * Math.Pow(backoff, attempt);
        if (retrier.TryGetProperty("MaxDelaySeconds", out JsonElement max))
        {
            seconds = Math.Min(seconds, max.GetDouble());
        }

        if (retrier.TryGetProperty("JitterStrategy", out JsonElement jitter) && jitter.GetString() == "FULL")
        {
            seconds *= _parts.Random.NextDouble();
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private async Task<JsonNode?> RunTaskAsync(string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, HistoryTrail trail, CancellationToken cancellationToken)
    {
        TaskResource resource = TaskResource.Parse(state.GetProperty("Resource").GetString()!)!;
        ITaskIntegration integration = _parts.IntegrationFor(resource);

        // Each attempt gets its own token: an answer to an earlier attempt's token finds it dead.
        WaitingTask? waiting = resource.WaitsForToken ? _parts.Tokens.Issue(_execution.Arn) : null;
        context = context with { Token = waiting?.Token };
        Dictionary<string, string> bindings = Bindings(scope, input, context, null);
        try
        {
            JsonNode? arguments = state.TryGetProperty("Arguments", out JsonElement a) ? Evaluate(a, bindings, name, "Arguments") : null;
            int timeout = Seconds(state, "TimeoutSeconds", bindings, name) ?? DefaultTaskTimeoutSeconds;
            int? heartbeat = Seconds(state, "HeartbeatSeconds", bindings, name);
            var scheduled = new JsonObject
            {
                ["resourceType"] = resource.Service,
                ["resource"] = resource.HistoryResource,
                ["region"] = _parts.Region,
                ["parameters"] = Text(arguments),
                ["timeoutInSeconds"] = timeout,
            };
            if (heartbeat.HasValue)
            {
                scheduled["heartbeatInSeconds"] = heartbeat.Value;
            }

            _execution.History.Add(trail, "TaskScheduled", scheduled);
            _execution.History.Add(trail, "TaskStarted", Resource(resource));
            DateTimeOffset deadline = Time.GetUtcNow().AddSeconds(timeout);
            JsonNode? result;
            try
            {
                Task<JsonNode?> call = integration.CallAsync(resource, arguments, cancellationToken);
                TimeSpan left = deadline - Time.GetUtcNow();
                result = left < LongestTimer ? await call.WaitAsync(left, Time, cancellationToken) : await call.WaitAsync(cancellationToken);
            }
            catch (TimeoutException)
            {
                throw TimedOut(resource, trail, StatesError.Timeout, "The task did not finish within " + timeout + " seconds.");
            }
            catch (StatesError e)
            {
                throw Failed(resource, trail, e);
            }

            if (waiting is not null)
            {
                _execution.History.Add(trail, "TaskSubmitted", Resource(resource, "output", Text(result)));
                TaskAnswer answer = await WaitForAnswerAsync(waiting, resource, deadline, heartbeat, trail, cancellationToken);
                if (!answer.Succeeded)
                {
                    throw Failed(resource, trail, new StatesError(answer.Error!, answer.Cause));
                }

                result = answer.Output;
            }

            _execution.History.Add(trail, "TaskSucceeded", Resource(resource, "output", Text(result)));
            return result;
        }
        finally
        {
            waiting?.Close();
        }
    }

    /// <summary>Waits for SendTaskSuccess or SendTaskFailure, until TimeoutSeconds, or HeartbeatSeconds without a heartbeat.</summary>
    private async Task<TaskAnswer> WaitForAnswerAsync(WaitingTask waiting, TaskResource resource, DateTimeOffset deadline, int? heartbeatSeconds, HistoryTrail trail, CancellationToken cancellationToken)
    {
        DateTimeOffset lastBeat = Time.GetUtcNow();
        while (true)
        {
            DateTimeOffset now = Time.GetUtcNow();
            DateTimeOffset next = deadline;
            bool heartbeatDue = false;
            if (heartbeatSeconds.HasValue && lastBeat.AddSeconds(heartbeatSeconds.Value) < next)
            {
                next = lastBeat.AddSeconds(heartbeatSeconds.Value);
                heartbeatDue = true;
            }

            if (now >= next)
            {
                if (!waiting.Close())
                {
                    return await waiting.Answer;
                }

                throw heartbeatDue
                    ? TimedOut(resource, trail, StatesError.HeartbeatTimeout, "No heartbeat within " + heartbeatSeconds + " seconds.")
                    : TimedOut(resource, trail, StatesError.Timeout, "No answer to the task token in time.");
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task heartbeat = waiting.NextHeartbeat;
            TimeSpan wait = next - now < LongestTimer ? next - now : LongestTimer;
            Task first = await Task.WhenAny(waiting.Answer, heartbeat, Task.Delay(wait, Time, wake.Token));
            wake.Cancel();
            if (first == waiting.Answer)
            {
                return await waiting.Answer;
            }

            if (first == heartbeat)
            {
                lastBeat = Time.GetUtcNow();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private StatesError TimedOut(TaskResource resource, HistoryTrail trail, string error, string cause)
    {
        JsonObject details = Resource(resource, "error", error);
        details["cause"] = cause;
        _execution.History.Add(trail, "TaskTimedOut", details);
        return new StatesError(error, cause);
    }

    private StatesError Failed(TaskResource resource, HistoryTrail trail, StatesError e)
    {
        JsonObject details = Resource(resource, "error", e.Error);
        details["cause"] = e.Cause;
        _execution.History.Add(trail, "TaskFailed", details);
        return e;
    }

    private static JsonObject Resource(TaskResource resource, string? field = null, string? value = null)
    {
        var details = new JsonObject { ["resourceType"] = resource.Service, ["resource"] = resource.HistoryResource };
        if (field is not null)
        {
            details[field] = value;
        }

        return details;
    }

    /// <summary>Inline Map: every item through the item processor in a scope of its own; the first failure fails the Map and aborts the rest.</summary>
    private async Task<JsonNode?> RunMapAsync(string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, HistoryTrail trail, CancellationToken cancellationToken)
    {
        Dictionary<string, string> bindings = Bindings(scope, input, context, null);
        JsonNode? items = state.TryGetProperty("Items", out JsonElement i) ? Evaluate(i, bindings, name, "Items") : input?.DeepClone();
        if (items is not JsonArray array)
        {
            throw new StatesError(StatesError.QueryEvaluationError, "The Items of Map state '" + name + "' is not an array: " + Text(items));
        }

        int concurrency = Seconds(state, "MaxConcurrency", bindings, name) ?? 0;
        _execution.History.Add(trail, "MapStateStarted", new JsonObject { ["length"] = array.Count });
        JsonElement processor = state.GetProperty("ItemProcessor");
        var work = new List<Func<CancellationToken, Task<JsonNode?>>>();
        for (int index = 0; index < array.Count; index++)
        {
            int at = index;
            JsonNode? item = array[at];
            work.Add(async ct =>
            {
                JsonNode? itemInput = item?.DeepClone();
                if (state.TryGetProperty("ItemSelector", out JsonElement selector))
                {
                    itemInput = Evaluate(selector, Bindings(scope, input, context with { MapIndex = at, MapValue = item }, null), name, "ItemSelector");
                }

                return await RunStatesAsync(processor, itemInput, new VariableScope(scope), new HistoryTrail(trail.Last), ct);
            });
        }

        return await RunAllAsync(name, "Map", "MapIteration", work, concurrency, trail, cancellationToken);
    }

    private async Task<JsonNode?> RunParallelAsync(string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, HistoryTrail trail, CancellationToken cancellationToken)
    {
        JsonNode? branchInput = state.TryGetProperty("Arguments", out JsonElement a) ? Evaluate(a, Bindings(scope, input, context, null), name, "Arguments") : input;
        _execution.History.Add(trail, "ParallelStateStarted");
        var work = new List<Func<CancellationToken, Task<JsonNode?>>>();
        foreach (JsonElement branch in state.GetProperty("Branches").EnumerateArray())
        {
            work.Add(ct => RunStatesAsync(branch, branchInput?.DeepClone(), new VariableScope(scope), new HistoryTrail(trail.Last), ct));
        }

        return await RunAllAsync(name, "Parallel", null, work, 0, trail, cancellationToken);
    }

    /// <summary>Runs Map iterations or Parallel branches at most <paramref name="concurrency"/> at once (0: all); results in order.</summary>
    private async Task<JsonNode?> RunAllAsync(string name, string type, string? iterationEvent, List<Func<CancellationToken, Task<JsonNode?>>> work, int concurrency, HistoryTrail trail, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(concurrency > 0 ? concurrency : Math.Max(1, work.Count));
        var results = new JsonNode?[work.Count];
        StatesError? failure = null;
        var running = new List<Task>();
        for (int index = 0; index < work.Count; index++)
        {
            int at = index;
            running.Add(Task.Run(async () =>
            {
                var iterationTrail = new HistoryTrail(trail.Last);
                try
                {
                    await gate.WaitAsync(abort.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    if (iterationEvent is not null)
                    {
                        _execution.History.Add(iterationTrail, iterationEvent + "Started", new JsonObject { ["name"] = name, ["index"] = at });
                    }

                    results[at] = await work[at](abort.Token);
                    Iteration(iterationEvent, "Succeeded", name, at, iterationTrail);
                }
                catch (StatesError e) when (!abort.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    Iteration(iterationEvent, "Failed", name, at, iterationTrail);
                    abort.Cancel();
                }
                catch (Exception e) when (e is OperationCanceledException or StatesError)
                {
                    Iteration(iterationEvent, "Aborted", name, at, iterationTrail);
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null)
        {
            _execution.History.Add(trail, type + "StateFailed");
            throw failure;
        }

        _execution.History.Add(trail, type + "StateSucceeded");
        return new JsonArray(results);
    }

    private void Iteration(string? iterationEvent, string how, string name, int index, HistoryTrail trail)
    {
        if (iterationEvent is not null)
        {
            _execution.History.Add(trail, iterationEvent + how, new JsonObject { ["name"] = name, ["index"] = index });
        }
    }

    private (JsonNode? Output, string? Next) Choose(string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, HistoryTrail trail)
    {
        Dictionary<string, string> bindings = Bindings(scope, input, context, null);
        int i = 0;
        foreach (JsonElement rule in state.GetProperty("Choices").EnumerateArray())
        {
            JsonNode? verdict = Evaluate(rule.GetProperty("Condition"), bindings, name, "Choices[" + i++ + "].Condition");
            if (verdict is not JsonValue value || value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new StatesError(StatesError.QueryEvaluationError, "The Condition of choice rule " + (i - 1) + " in state '" + name + "' is not a boolean: " + Text(verdict));
            }

            if (value.GetValue<bool>())
            {
                JsonNode? output = rule.TryGetProperty("Output", out JsonElement o) ? Evaluate(o, bindings, name, "Output") : input;
                Assign(rule, bindings, scope, name);
                return (Exit("Choice", name, output, trail), rule.GetProperty("Next").GetString());
            }
        }

        if (!state.TryGetProperty("Default", out JsonElement fallback))
        {
            throw new StatesError(StatesError.NoChoiceMatched, "No Matches! No choice rule of state '" + name + "' matched, and it has no Default.");
        }

        JsonNode? defaultOutput = state.TryGetProperty("Output", out JsonElement so) ? Evaluate(so, bindings, name, "Output") : input;
        Assign(state, bindings, scope, name);
        return (Exit("Choice", name, defaultOutput, trail), fallback.GetString());
    }

    private async Task WaitAsync(string name, JsonElement state, JsonNode? input, VariableScope scope, StateContext context, CancellationToken cancellationToken)
    {
        Dictionary<string, string> bindings = Bindings(scope, input, context, null);
        TimeSpan wait;
        if (state.TryGetProperty("Timestamp", out JsonElement at))
        {
            string? text = Evaluate(at, bindings, name, "Timestamp")?.GetValue<string>();
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset until))
            {
                throw new StatesError(StatesError.QueryEvaluationError, "The Timestamp of Wait state '" + name + "' is not an ISO 8601 time: " + text);
            }

            wait = until - Time.GetUtcNow();
        }
        else
        {
            wait = TimeSpan.FromSeconds(Seconds(state, "Seconds", bindings, name) ?? 0);
        }

        DateTimeOffset waitUntil = Time.GetUtcNow() + wait;
        for (TimeSpan left = wait; left > TimeSpan.Zero; left = waitUntil - Time.GetUtcNow())
        {
            await Task.Delay(left < LongestTimer ? left : LongestTimer, Time, cancellationToken);
        }
    }

    /// <summary>A state that went well: Assign and Output, both seeing the variables as they were before this state assigned any.</summary>
    private (JsonNode? Output, string? Next) Finish(string type, string name, JsonElement state, JsonNode? input, JsonNode? result, VariableScope scope, StateContext context, HistoryTrail trail)
    {
        bool hasResult = type is "Task" or "Map" or "Parallel";
        Dictionary<string, string> bindings = Bindings(scope, input, context, null, hasResult ? Text(result) : null);
        JsonNode? output = state.TryGetProperty("Output", out JsonElement o) ? Evaluate(o, bindings, name, "Output") : hasResult ? result : input;
        Assign(state, bindings, scope, name);
        string? next = state.TryGetProperty("End", out JsonElement end) && end.ValueKind == JsonValueKind.True ? null : state.GetProperty("Next").GetString();
        return (Exit(type, name, output, trail), next);
    }

    private JsonNode? Exit(string type, string name, JsonNode? output, HistoryTrail trail)
    {
        string text = Text(output);
        if (text.Length > PayloadLimit)
        {
            throw new StatesError(StatesError.DataLimitExceeded, "The state/task '" + name + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }

        _execution.History.Add(trail, type + "StateExited", new JsonObject { ["name"] = name, ["output"] = text });
        return output;
    }

    private void Assign(JsonElement holder, Dictionary<string, string> bindings, VariableScope scope, string name)
    {
        if (!holder.TryGetProperty("Assign", out JsonElement assign))
        {
            return;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty variable in assign.EnumerateObject())
        {
            values[variable.Name] = Text(Evaluate(variable.Value, bindings, name, "Assign." + variable.Name));
        }

        scope.Assign(values);
    }

    private JsonNode? Evaluate(JsonElement field, Dictionary<string, string> bindings, string state, string location)
    {
        try
        {
            return _parts.Fields.Evaluate(field, bindings, location);
        }
        catch (StatesError e) when (e.Error == StatesError.QueryEvaluationError)
        {
            _execution.History.Add(new HistoryTrail(_execution.History.Count), "EvaluationFailed", new JsonObject
            {
                ["state"] = state,
                ["error"] = e.Error,
                ["cause"] = e.Cause,
                ["location"] = e.Location ?? location,
            });
            throw;
        }
    }

    private string? TextField(JsonElement state, string field, Dictionary<string, string> bindings, string name)
    {
        if (!state.TryGetProperty(field, out JsonElement value))
        {
            return null;
        }

        JsonNode? node = Evaluate(value, bindings, name, field);
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Text(node);
    }

    /// <summary>A whole number of seconds given as a number or an expression (TimeoutSeconds, HeartbeatSeconds, Seconds, MaxConcurrency).</summary>
    private int? Seconds(JsonElement state, string field, Dictionary<string, string> bindings, string name)
    {
        if (!state.TryGetProperty(field, out JsonElement value))
        {
            return null;
        }

        JsonNode? node = Evaluate(value, bindings, name, field);
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && d >= 0 && d == Math.Floor(d) && d <= DefaultTaskTimeoutSeconds)
        {
            return (int)d;
        }

        throw new StatesError(StatesError.QueryEvaluationError, "The " + field + " of state '" + name + "' is not a whole number of seconds from 0 to " + DefaultTaskTimeoutSeconds + ": " + Text(node));
    }

    private static JsonElement[] Rules(JsonElement state, string field)
    {
        if (!state.TryGetProperty(field, out JsonElement rules))
        {
            return Array.Empty<JsonElement>();
        }

        var list = new List<JsonElement>();
        foreach (JsonElement rule in rules.EnumerateArray())
        {
            list.Add(rule);
        }

        return list.ToArray();
    }

    private static IEnumerable<string> Names(JsonElement rule)
    {
        foreach (JsonElement name in rule.GetProperty("ErrorEquals").EnumerateArray())
        {
            yield return name.GetString()!;
        }
    }

    private static int Int(JsonElement rule, string field, int fallback) => rule.TryGetProperty(field, out JsonElement v) ? v.GetInt32() : fallback;

    /// <summary>The bindings an expression sees: every visible variable, and $states (input, context, and result or errorOutput where the field has them).</summary>
    private Dictionary<string, string> Bindings(VariableScope scope, JsonNode? input, StateContext context, JsonNode? errorOutput, string? resultJson = null)
    {
        var bindings = new Dictionary<string, string>(StringComparer.Ordinal);
        scope.CopyInto(bindings);
        var states = new System.Text.StringBuilder("{\"input\":").Append(Text(input)).Append(",\"context\":").Append(ContextJson(context));
        if (resultJson is not null)
        {
            states.Append(",\"result\":").Append(resultJson);
        }

        if (errorOutput is not null)
        {
            states.Append(",\"errorOutput\":").Append(Text(errorOutput));
        }

        bindings["states"] = states.Append('}').ToString();
        return bindings;
    }

    /// <summary>The context object: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html.</summary>
    private string ContextJson(StateContext context)
    {
        // The execution's and state machine's parts never change during a run: written once.
        _executionContext ??= new JsonObject
        {
            ["Execution"] = new JsonObject
            {
                ["Id"] = _execution.Arn,
                ["Input"] = JsonNode.Parse(_execution.Input),
                ["Name"] = _execution.Name,
                ["RoleArn"] = _execution.StateMachine.RoleArn,
                ["StartTime"] = Timestamp(_execution.StartDate),
                ["RedriveCount"] = 0,
            },
            ["StateMachine"] = new JsonObject { ["Id"] = _execution.StateMachine.Arn, ["Name"] = _execution.StateMachine.Name },
        }.ToJsonString()[..^1];
        var json = new System.Text.StringBuilder(_executionContext.Length + 256).Append(_executionContext)
            .Append(",\"State\":").Append(new JsonObject
            {
                ["EnteredTime"] = Timestamp(context.EnteredTime),
                ["Name"] = context.Name,
                ["RetryCount"] = context.RetryCount,
            }.ToJsonString());
        if (context.Token is not null)
        {
            json.Append(",\"Task\":").Append(new JsonObject { ["Token"] = context.Token }.ToJsonString());
        }

        if (context.MapIndex is int index)
        {
            json.Append(",\"Map\":").Append(new JsonObject { ["Item"] = new JsonObject { ["Index"] = index, ["Value"] = context.MapValue?.DeepClone() } }.ToJsonString());
        }

        return json.Append('}').ToString();
    }
}

/// <summary>What $states.context says about the state being run.</summary>
internal sealed record StateContext(string Name, DateTimeOffset EnteredTime, int RetryCount, string? Token = null, int? MapIndex = null, JsonNode? MapValue = null);
