using System;
using System.CommandLine;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using KitchenButton.Cli.Connection;
using KitchenButton.Gateway.Aws;
using Spectre.Console;

namespace KitchenButton.Cli.Commands;

/// <summary>
/// Runs a verb's body with its context and turns every failure into one line on standard error and
/// an exit code (ExitCodes): an operator never sees a stack trace.
/// </summary>
public sealed class VerbRunner
{
    private readonly GlobalOptions _global;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly TextReader _input;
    private readonly bool _interactive;

    public VerbRunner(GlobalOptions global, TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        _global = global;
        _output = output;
        _error = error;
        _input = input;
        _interactive = interactive;
    }

    public Func<ParseResult, CancellationToken, Task<int>> Action(Func<CommandContext, ParseResult, CancellationToken, Task<int>> body)
    {
        return async (parsed, cancellationToken) =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(_output),
                Interactive = _interactive ? InteractionSupport.Yes : InteractionSupport.No,
            });
            using var context = new CommandContext(new OperatorSession(_global.TargetOf(parsed)), parsed.GetValue(_global.Output), console, _output, _error, _input, _interactive);
            try
            {
                return await body(context, parsed, cancellationToken);
            }
            catch (Exception e)
            {
                (int code, string message) = Explain(e, context.Session);
                _error.WriteLine("kitchenbutton: " + message);
                return code;
            }
        };
    }

    /// <summary>A failure as an operator reads it, with its exit code: never a stack trace.</summary>
    public static (int Code, string Message) Explain(Exception e, OperatorSession session)
    {
        (int code, string message) = Describe(e);
        if (IsAccessDenied(e))
        {
            // The one fix an operator needs, whichever call it was.
            message += " (the stack's managed policy " + session.Names.OperatorPolicy
                + ", output OperatorPolicyArn, allows every call this tool makes: attach it to your IAM group or role)";
        }

        return (code, message);
    }

    private static (int Code, string Message) Describe(Exception e) => e switch
    {
        OperatorException o => (o.ExitCode, o.Message),
        AwsServiceException s => (ExitCodes.Failed, "AWS refused: " + s.Error.Code + (s.Error.Message.Length > 0 ? ": " + s.Error.Message : string.Empty)),
        AwsTransientException t => (ExitCodes.Failed, "AWS did not answer: " + t.Message),
        Amazon.DynamoDBv2.Model.ResourceNotFoundException r => (ExitCodes.Failed, "a table is missing (" + r.Message + "): is this environment's stack deployed in this region?"),
        AmazonServiceException s => (ExitCodes.Failed, "AWS refused: " + s.ErrorCode + ": " + s.Message),
        AmazonClientException c when c.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) =>
            (ExitCodes.Usage, "no usable AWS credentials (" + FirstLine(c.Message) + "): run `aws configure` or `aws sso login`, or pass --profile"),
        AmazonClientException c => (ExitCodes.Failed, "AWS call failed: " + FirstLine(c.Message)),
        HttpRequestException h => (ExitCodes.Failed, "cannot reach AWS: " + h.Message),
        OperationCanceledException => (ExitCodes.Failed, "cancelled"),
        IOException or UnauthorizedAccessException => (ExitCodes.Failed, e.Message),
        _ => (ExitCodes.Failed, "unexpected " + e.GetType().Name + ": " + e.Message),
    };

    /// <summary>
    /// IAM refused the call, or the call a verb's failure tells of: AccessDeniedException from the
    /// awsJson and REST services, AccessDenied from SQS's Query protocol, ForbiddenException from the
    /// IoT data plane.
    /// </summary>
    private static bool IsAccessDenied(Exception? e) => e switch
    {
        null => false,
        AwsServiceException s => s.Error.Code is "AccessDeniedException" or "AccessDenied" or "ForbiddenException",
        AmazonServiceException s => s.ErrorCode is "AccessDeniedException" or "AccessDenied" or "ForbiddenException",
        _ => IsAccessDenied(e.InnerException),
    };

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
