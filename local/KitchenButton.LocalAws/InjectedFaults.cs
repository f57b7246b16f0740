using System;
using System.Collections.Generic;
using System.Net;
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

/// <summary>
/// The faults Step Functions calls meet next, in order: how the stand-ins fail the way the service
/// fails (throttling, a 5xx before or after applying, an answer that never comes).
/// </summary>
public sealed class InjectedFaults
{
    private readonly object _lock = new();
    private readonly Queue<Fault> _next = new();

    /// <summary>How long a <see cref="Fault.Hang"/> holds its answer.</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(1.5);

    public void Add(Fault fault, int count)
    {
        lock (_lock)
        {
            for (int i = 0; i < count; i++)
            {
                _next.Enqueue(fault);
            }
        }
    }

    /// <summary>The fault the next call meets, or null.</summary>
    public Fault? Next()
    {
        lock (_lock)
        {
            return _next.Count > 0 ? _next.Dequeue() : null;
        }
    }

    /// <summary>The fault applies nothing: the call is answered with its error (after holding it, for a hang).</summary>
    public static bool RefusesBeforeApplying(Fault? fault) => fault is Fault.Throttle or Fault.ServerError or Fault.Hang;

    /// <summary>The error code a fault that applies nothing answers with.</summary>
    public static string CodeOf(Fault fault) => fault == Fault.Throttle ? "ThrottlingException" : "InternalFailure";

    /// <summary>A hang holds the call here, before anything about it is recorded or answered.</summary>
    public Task HoldIfHangAsync(Fault? fault) => fault == Fault.Hang ? Task.Delay(HangFor) : Task.CompletedTask;

    /// <summary>Answers a fault that applies nothing as the service would: 400 throttling, else 500.</summary>
    public static Task AnswerRefusedAsync(HttpListenerContext context, Fault fault)
    {
        string code = CodeOf(fault);
        return AwsWire.AnswerAsync(context, fault == Fault.Throttle ? 400 : 500, "{\"__type\":\"" + code + "\",\"message\":\"injected\"}", null);
    }

    /// <summary>The 503 a call answers after it was applied.</summary>
    public static Task AnswerAppliedAsync(HttpListenerContext context) =>
        AwsWire.AnswerAsync(context, 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"injected\"}", null);
}
