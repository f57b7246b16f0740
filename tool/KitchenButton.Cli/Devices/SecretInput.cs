using System.IO;
using Spectre.Console;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// Reads a secret the operator must not type on the command line (it would stay in the shell's
/// history): from a file, from standard input ("-"), or at a hidden prompt.
/// </summary>
public static class SecretInput
{
    public static string Read(string what, string? file, CommandContextInput input)
    {
        if (file == "-")
        {
            return (input.Reader.ReadLine() ?? string.Empty).TrimEnd('\r', '\n');
        }

        if (file != null)
        {
            if (!File.Exists(file))
            {
                throw OperatorException.Usage("cannot read the " + what + ": no file " + file);
            }

            string text = File.ReadAllText(file);
            return text.TrimEnd('\r', '\n');
        }

        if (!input.Interactive)
        {
            throw OperatorException.Usage("the " + what + " is needed: pass its file (or - for standard input); there is no terminal to ask at");
        }

        return input.Console.Prompt(new TextPrompt<string>(what + ":").Secret().AllowEmpty());
    }
}

/// <summary>Where a secret can come from in this run.</summary>
public sealed record CommandContextInput(TextReader Reader, IAnsiConsole Console, bool Interactive);
