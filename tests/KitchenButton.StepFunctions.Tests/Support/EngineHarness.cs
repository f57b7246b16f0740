using System;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;
using Microsoft.Extensions.Time.Testing;

namespace KitchenButton.StepFunctions.Tests.Support;

/// <summary>A local Step Functions on a clock the test moves, with a scripted integration and recorded SNS.</summary>
public sealed class EngineHarness : IDisposable
{
    private readonly JsonataEngine _jsonata = new(JsonataEngineTests.Bundle);

    public EngineHarness(int seed = 7)
    {
        Service = new LocalStepFunctions(_jsonata, new ITaskIntegration[] { Scripted, Recorded }, Clock, random: new Random(seed));
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public ScriptedIntegration Scripted { get; } = new();

    public RecordedIntegration Recorded { get; } = new();

    public LocalStepFunctions Service { get; }

    private int _machines;

    /// <summary>Creates a JSONata-mode machine from its States (JSON text) and starts it.</summary>
    public Execution Run(string states, string startAt = "A", string input = "{}", string extraTop = "")
    {
        StateMachine machine = Service.CreateStateMachine("m" + ++_machines, """{"QueryLanguage":"JSONata","StartAt":"START",""".Replace("START", startAt, StringComparison.Ordinal) + extraTop + "\"States\":" + states + "}", "arn:aws:iam::123456789012:role/test");
        return Service.StartExecution(machine.Arn, null, input);
    }

    public static async Task EndedAsync(Execution execution) => await execution.Ended.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Waits (real time) until the history has <paramref name="count"/> events of <paramref name="type"/>.</summary>
    public static async Task<ExecutionEvent> EventAsync(Execution execution, string type, int count = 1)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            ExecutionEvent[] events = execution.History.Events.Where(e => e.Type == type).ToArray();
            if (events.Length >= count)
            {
                return events[count - 1];
            }

            await Task.Delay(5);
        }

        throw new TimeoutException("no " + count + " " + type + " event(s) in: " + string.Join(", ", execution.History.Events.Select(e => e.Type)));
    }

    /// <summary>The token of the task waiting in the execution (from its scheduled parameters).</summary>
    public static async Task<string> TokenAsync(Execution execution, int count = 1)
    {
        ExecutionEvent scheduled = await EventAsync(execution, "TaskSubmitted", count);
        ExecutionEvent parameters = execution.History.Events.Last(e => e.Type == "TaskScheduled" && e.Id < scheduled.Id);
        return System.Text.Json.JsonDocument.Parse(parameters.Detail("parameters")!).RootElement.GetProperty("Token").GetString()!;
    }

    public void Dispose() => _jsonata.Dispose();
}

/// <summary>Moving the test clock the way time passes: in small steps, letting the engine's timers register between them.</summary>
public static class ClockSteps
{
    public static async Task AdvanceUntilAsync(this FakeTimeProvider clock, Func<bool> done, TimeSpan step, TimeSpan max)
    {
        DateTimeOffset limit = clock.GetUtcNow() + max;
        while (!done())
        {
            if (clock.GetUtcNow() >= limit)
            {
                throw new TimeoutException("still not done after " + max + " of test time");
            }

            await Task.Delay(3);
            clock.Advance(step);
        }
    }
}
