using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>How a callback ended: the output of SendTaskSuccess, or the error and cause of SendTaskFailure.</summary>
public sealed record TaskAnswer(JsonNode? Output, string? Error, string? Cause)
{
    public bool Succeeded => Error is null;
}

/// <summary>What a SendTask* call met: the answer taken, or the error code Step Functions returns.</summary>
public enum TokenReply
{
    Accepted,

    /// <summary>Not a token this service could have issued.</summary>
    InvalidToken,

    /// <summary>A well-formed token no task was given.</summary>
    TaskDoesNotExist,

    /// <summary>The task has ended (answered, timed out, or its execution stopped): the token is dead.</summary>
    TaskTimedOut,
}

/// <summary>One task waiting for its callback: the answer, once given, and the last heartbeat.</summary>
public sealed class WaitingTask
{
    private readonly TaskCompletionSource<TaskAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heartbeat = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    internal WaitingTask(string token, string executionArn)
    {
        Token = token;
        ExecutionArn = executionArn;
    }

    public string Token { get; }

    public string ExecutionArn { get; }

    public Task<TaskAnswer> Answer => _answer.Task;

    /// <summary>Completes at the next heartbeat.</summary>
    public Task NextHeartbeat
    {
        get
        {
            lock (this)
            {
                return _heartbeat.Task;
            }
        }
    }

    internal TokenReply Give(TaskAnswer answer)
    {
        lock (this)
        {
            if (_closed)
            {
                return TokenReply.TaskTimedOut;
            }

            _closed = true;
            _answer.SetResult(answer);
            return TokenReply.Accepted;
        }
    }

    internal TokenReply Beat()
    {
        lock (this)
        {
            if (_closed)
            {
                return TokenReply.TaskTimedOut;
            }

            TaskCompletionSource beat = _heartbeat;
            _heartbeat = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            beat.SetResult();
            return TokenReply.Accepted;
        }
    }

    /// <summary>Ends the wait without an answer (timed out, stopped); false when an answer came first.</summary>
    internal bool Close()
    {
        lock (this)
        {
            // An answer is only ever taken while open, so a closed task without one ended unanswered.
            _closed = true;
            return !_answer.Task.IsCompleted;
        }
    }
}

/// <summary>
/// The task tokens this service issued. A token is opaque to callers, like Step Functions' own:
/// a fixed prefix and 48 random bytes in base64, so a token altered or made up is told apart
/// (InvalidToken) from one that was issued (TaskDoesNotExist never happens for those; an ended
/// task's token answers TaskTimedOut, as Step Functions does for tokens of closed tasks).
/// </summary>
public sealed class TaskTokens
{
    private const string Prefix = "AQCsAAAAKgAAAAMAAAAAAAAAA";

    private readonly ConcurrentDictionary<string, WaitingTask> _tasks = new(StringComparer.Ordinal);

    public WaitingTask Issue(string executionArn)
    {
        string token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var task = new WaitingTask(token, executionArn);
        _tasks[token] = task;
        return task;
    }

    /// <summary>Every open task of the execution ends at once (it was stopped): answers to their tokens find them dead.</summary>
    public void CloseAll(string executionArn)
    {
        foreach (WaitingTask task in _tasks.Values)
        {
            if (task.ExecutionArn == executionArn)
            {
                task.Close();
            }
        }
    }

    /// <summary>The execution a token was issued to, or null for a token not issued here.</summary>
    public string? ExecutionOf(string token) => _tasks.TryGetValue(token, out WaitingTask? task) ? task.ExecutionArn : null;

    public TokenReply Send(string token, TaskAnswer answer) => Find(token, out WaitingTask? task) is { } problem ? problem : task!.Give(answer);

    public TokenReply Heartbeat(string token) => Find(token, out WaitingTask? task) is { } problem ? problem : task!.Beat();

    private TokenReply? Find(string token, out WaitingTask? task)
    {
        task = null;
        if (!IsWellFormed(token))
        {
            return TokenReply.InvalidToken;
        }

        return _tasks.TryGetValue(token, out task) ? null : TokenReply.TaskDoesNotExist;
    }

    /// <summary>Issued here in form: the prefix, then base64 of 48 bytes.</summary>
    public static bool IsWellFormed(string token)
    {
        if (token.Length != Prefix.Length + 64 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[48];
        return Convert.TryFromBase64String(token[Prefix.Length..], bytes, out int written) && written == 48;
    }
}
