using System;
using System.IO;
using KitchenButton.Cli.Connection;
using KitchenButton.Cli.Output;
using Spectre.Console;

namespace KitchenButton.Cli.Commands;

/// <summary>What one verb's action works with: its session with AWS (or the local stack), and where it prints.</summary>
public sealed class CommandContext : IDisposable
{
    private readonly TextWriter _error;

    public CommandContext(OperatorSession session, OutputFormat format, IAnsiConsole console, TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        Session = session;
        Format = format;
        Console = console;
        Output = output;
        _error = error;
        Input = input;
        Interactive = interactive;
    }

    public OperatorSession Session { get; }

    public OutputFormat Format { get; }

    public IAnsiConsole Console { get; }

    /// <summary>Standard output, for results (JSON goes here unformatted).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard input, for a secret piped in.</summary>
    public TextReader Input { get; }

    /// <summary>Whether a person can answer a prompt (standard input is a terminal).</summary>
    public bool Interactive { get; }

    /// <summary>A line for people: kept out of JSON output so scripts read clean JSON.</summary>
    public void Say(string line)
    {
        if (Format == OutputFormat.Table)
        {
            Output.WriteLine(line);
        }
    }

    /// <summary>
    /// Something left undone by a verb that otherwise succeeded, with what to do about it: on standard
    /// error, in every output format, as the verb's failures are.
    /// </summary>
    public void Warn(string line) => _error.WriteLine("kitchenbutton: warning: " + line);

    public void Dispose() => Session.Dispose();
}
