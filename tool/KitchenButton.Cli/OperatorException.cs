using System;

namespace KitchenButton.Cli;

/// <summary>A failure the operator can act on: printed as one line, no stack trace, with its exit code.</summary>
public sealed class OperatorException : Exception
{
    /// <param name="cause">What AWS or the system answered, when the message tells of it in the operator's terms.</param>
    public OperatorException(int exitCode, string message, Exception? cause = null)
        : base(message, cause)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    public static OperatorException Usage(string message) => new(ExitCodes.Usage, message);

    public static OperatorException Conflict(string message) => new(ExitCodes.Conflict, message);

    public static OperatorException Failed(string message, Exception? cause = null) => new(ExitCodes.Failed, message, cause);
}
