using System;

namespace KitchenButton.Cli;

/// <summary>A failure the operator can act on: printed as one line, no stack trace, with its exit code.</summary>
public sealed class OperatorException : Exception
{
    public OperatorException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    public static OperatorException Usage(string message) => new(ExitCodes.Usage, message);

    public static OperatorException Conflict(string message) => new(ExitCodes.Conflict, message);

    public static OperatorException Failed(string message) => new(ExitCodes.Failed, message);
}
