using System;
using System.Text.Json;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>A created state machine: its ARN and name, the definition as given, and that definition parsed once.</summary>
public sealed class StateMachine
{
    internal StateMachine(string arn, string name, string definition, string roleArn, DateTimeOffset created)
    {
        Arn = arn;
        Name = name;
        Definition = definition;
        RoleArn = roleArn;
        CreationDate = created;
        Root = JsonDocument.Parse(definition).RootElement.Clone();
    }

    public string Arn { get; }

    public string Name { get; }

    public string Definition { get; }

    public string RoleArn { get; }

    public DateTimeOffset CreationDate { get; }

    internal JsonElement Root { get; }

    /// <summary>The machine's own limit (TimeoutSeconds at the top), if it has one.</summary>
    internal TimeSpan? Timeout => Root.TryGetProperty("TimeoutSeconds", out JsonElement t) && t.TryGetInt32(out int seconds) ? TimeSpan.FromSeconds(seconds) : null;
}

/// <summary>RUNNING, then one of the ends, as DescribeExecution reports it.</summary>
public enum ExecutionStatus
{
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    ABORTED,
}

/// <summary>One execution: what it was given, where it stands, how it ended, and its history.</summary>
public sealed class Execution
{
    private readonly System.Threading.Tasks.TaskCompletionSource _ended = new(System.Threading.Tasks.TaskCreationOptions.RunContinuationsAsynchronously);

    internal Execution(string arn, string name, StateMachine machine, string input, DateTimeOffset started, TimeProvider time)
    {
        Arn = arn;
        Name = name;
        StateMachine = machine;
        Input = input;
        StartDate = started;
        History = new ExecutionHistory(time);
    }

    public string Arn { get; }

    public string Name { get; }

    public StateMachine StateMachine { get; }

    public string Input { get; }

    public DateTimeOffset StartDate { get; }

    public ExecutionStatus Status { get; private set; } = ExecutionStatus.RUNNING;

    public DateTimeOffset? StopDate { get; private set; }

    public string? Output { get; private set; }

    public string? Error { get; private set; }

    public string? Cause { get; private set; }

    public ExecutionHistory History { get; }

    /// <summary>Completes when the execution has ended, however it ended.</summary>
    public System.Threading.Tasks.Task Ended => _ended.Task;

    internal System.Threading.CancellationTokenSource Stopping { get; } = new();

    /// <summary>Ends the execution once; false if it had already ended (a stop racing the end).</summary>
    internal bool End(ExecutionStatus status, DateTimeOffset at, string? output, string? error, string? cause)
    {
        lock (this)
        {
            if (Status != ExecutionStatus.RUNNING)
            {
                return false;
            }

            Status = status;
            StopDate = at;
            Output = output;
            Error = error;
            Cause = cause;
        }

        return true;
    }

    internal void Close() => _ended.TrySetResult();
}
