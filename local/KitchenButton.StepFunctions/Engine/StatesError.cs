using System;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// An error a state raises, by the name Retry and Catch match (States.Timeout, States.TaskFailed,
/// DynamoDb.ConditionalCheckFailedException, or the error a SendTaskFailure names) and its cause.
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
/// </summary>
public sealed class StatesError : Exception
{
    public StatesError(string error, string? cause, string? location = null)
        : base(error + (cause is { Length: > 0 } ? ": " + cause : string.Empty))
    {
        Error = error;
        Cause = cause ?? string.Empty;
        Location = location;
    }

    /// <summary>For an expression's error, the field it is in (Arguments.Item.orderId).</summary>
    public string? Location { get; }

    public string Error { get; }

    public string Cause { get; }

    public const string All = "States.ALL";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string TaskFailed = "States.TaskFailed";
    public const string Runtime = "States.Runtime";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
    public const string NoChoiceMatched = "States.NoChoiceMatched";

    /// <summary>
    /// Whether a Retry or Catch listing <paramref name="names"/> handles <paramref name="error"/>:
    /// its own name; States.ALL for anything but the terminal States.Runtime and States.DataLimitExceeded;
    /// States.TaskFailed for any of those but States.Timeout; States.Timeout also for a heartbeat timeout.
    /// </summary>
    public static bool Matches(System.Collections.Generic.IEnumerable<string> names, string error)
    {
        bool terminal = error is Runtime or DataLimitExceeded;
        bool timeout = error is Timeout or HeartbeatTimeout;
        foreach (string name in names)
        {
            if (name == error
                || (name == All && !terminal)
                || (name == TaskFailed && !terminal && !timeout)
                || (name == Timeout && error == HeartbeatTimeout))
            {
                return true;
            }
        }

        return false;
    }
}
