using System;
using System.Collections.Generic;

namespace KitchenButton.Pairing;

/// <summary>The tool's arguments: a command, its positional values, and --options (flags or with a value).</summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--force" };
    private static readonly HashSet<string> Valued = new(StringComparer.Ordinal) { "--wifi-ssid", "--wifi-password", "--out", "--environment", "--region" };

    private CommandLine(string command, List<string> positionals, Dictionary<string, string> options)
    {
        Command = command;
        Positionals = positionals;
        Options = options;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positionals { get; }

    public IReadOnlyDictionary<string, string> Options { get; }

    public bool Has(string flag) => Options.ContainsKey(flag);

    public string? Get(string option) => Options.TryGetValue(option, out string? v) ? v : null;

    /// <summary>Parses, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CommandLine Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new FormatException("no command given");
        }

        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(a);
            }
            else if (Flags.Contains(a))
            {
                options[a] = "true";
            }
            else if (Valued.Contains(a))
            {
                if (i + 1 >= args.Length)
                {
                    throw new FormatException(a + " needs a value");
                }

                options[a] = args[++i];
            }
            else
            {
                throw new FormatException("unknown option " + a);
            }
        }

        return new CommandLine(args[0], positionals, options);
    }
}
