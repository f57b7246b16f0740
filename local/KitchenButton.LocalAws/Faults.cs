using System;
using System.Net;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>The ways the stand-ins can fail a call, as the real services fail them.</summary>
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
/// Where a stand-in learns which fault the next call meets. The local stack has none
/// (<see cref="NoFaults"/>); the tests schedule faults through it, as they schedule time through a
/// TimeProvider, so the schedule itself lives with the tests.
/// </summary>
public interface IFaultSource
{
    /// <summary>The fault the next call meets, or null.</summary>
    Fault? Next();

    /// <summary>How long a <see cref="Fault.Hang"/> holds its answer.</summary>
    TimeSpan HangFor { get; }
}

/// <summary>Every call answered as the service answers a healthy one.</summary>
public sealed class NoFaults : IFaultSource
{
    public static readonly NoFaults Instance = new();

    private NoFaults()
    {
    }

    public TimeSpan HangFor => TimeSpan.Zero;

    public Fault? Next() => null;
}

/// <summary>How a fault is answered on the wire.</summary>
internal static class FaultAnswers
{
    /// <summary>The fault applies nothing: the call is answered with its error (after holding it, for a hang).</summary>
    public static bool RefusesBeforeApplying(Fault? fault) => fault is Fault.Throttle or Fault.ServerError or Fault.Hang;

    /// <summary>The error code a fault that applies nothing answers with.</summary>
    public static string CodeOf(Fault fault) => fault == Fault.Throttle ? "ThrottlingException" : "InternalFailure";

    /// <summary>A hang holds the call here, before anything about it is recorded or answered.</summary>
    public static Task HoldIfHangAsync(IFaultSource faults, Fault? fault) => fault == Fault.Hang ? Task.Delay(faults.HangFor) : Task.CompletedTask;

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
