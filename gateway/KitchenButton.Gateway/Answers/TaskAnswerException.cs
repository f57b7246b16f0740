using System;

namespace KitchenButton.Gateway.Answers;

/// <summary>How a failed callback should be treated.</summary>
public enum AnswerFailureKind
{
    /// <summary>TaskTimedOut, TaskDoesNotExist, InvalidToken: the token is closed. Whether by this press's own earlier answer is for the execution history to say.</summary>
    DeadToken,

    /// <summary>Refused outright every time (throttling): the answer certainly did not land; try again later.</summary>
    NotDelivered,

    /// <summary>A timeout, a 5xx or a network failure after sending: the answer may have landed.</summary>
    OutcomeUnknown,

    /// <summary>Anything else (bad request, access denied): a bug or a misconfiguration; nothing landed.</summary>
    Permanent,
}

/// <summary>A Step Functions call that did not succeed, with the service's error code.</summary>
public sealed class TaskAnswerException : Exception
{
    public TaskAnswerException(AnswerFailureKind kind, string errorCode, string message, Exception? inner = null, bool afterUncertainAttempt = false)
        : base(message, inner)
    {
        Kind = kind;
        ErrorCode = errorCode;
        AfterUncertainAttempt = afterUncertainAttempt;
    }

    public AnswerFailureKind Kind { get; }

    /// <summary>The service's error code (e.g. TaskTimedOut), or a local one such as "Timeout".</summary>
    public string ErrorCode { get; }

    /// <summary>For a dead token: an earlier attempt of the same call may have closed it.</summary>
    public bool AfterUncertainAttempt { get; }
}
