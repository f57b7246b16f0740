using System;

namespace KitchenButton.Gateway.Callbacks;

/// <summary>How a failed callback should be treated.</summary>
public enum CallbackFailureKind
{
    /// <summary>TaskTimedOut, TaskDoesNotExist, InvalidToken: the token will never work; drop it.</summary>
    DeadToken,

    /// <summary>Throttling, 5xx, timeouts: try again later. The request may have been applied.</summary>
    Transient,

    /// <summary>Anything else (bad request, access denied): a bug or a misconfiguration.</summary>
    Permanent,
}

/// <summary>A Step Functions callback that did not succeed, with the service's error code.</summary>
public sealed class TaskCallbackException : Exception
{
    public TaskCallbackException(CallbackFailureKind kind, string errorCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorCode = errorCode;
    }

    public CallbackFailureKind Kind { get; }

    /// <summary>The service's error code (e.g. TaskTimedOut), or a local one such as "Timeout".</summary>
    public string ErrorCode { get; }
}
