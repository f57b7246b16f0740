using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace KitchenButton.Simulator;

/// <summary>One timed line of a scenario script.</summary>
internal sealed record ScenarioStep(long AtMs, string Command, int[] Arguments, int Line);

/// <summary>Parses a scenario script (see Scenarios/lunch-rush.txt for the commands).</summary>
internal static class Scenario
{
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new()
    {
        ["boot"] = (1, 1),
        ["orders"] = (1, 1),
        ["press"] = (1, 2),
        ["sntp"] = (0, 0),
        ["link"] = (1, 1),
        ["end"] = (0, 0),
    };

    public static List<ScenarioStep> Parse(TextReader reader)
    {
        var steps = new List<ScenarioStep>();
        string? text;
        int line = 0;
        long last = 0;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            int hash = text.IndexOf('#', StringComparison.Ordinal);
            string[] parts = (hash >= 0 ? text[..hash] : text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length < 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long at))
            {
                throw new FormatException($"line {line}: expected '<time ms> <command> [arguments]'");
            }

            if (at < last)
            {
                throw new FormatException($"line {line}: times must not go backwards");
            }

            string command = parts[1];
            if (!Arity.TryGetValue(command, out var arity))
            {
                throw new FormatException($"line {line}: unknown command '{command}'");
            }

            int count = parts.Length - 2;
            if (count < arity.Min || count > arity.Max)
            {
                throw new FormatException($"line {line}: '{command}' takes {arity.Min} to {arity.Max} arguments");
            }

            var args = new int[count];
            for (int i = 0; i < count; i++)
            {
                string a = parts[i + 2];
                args[i] = command == "link" ? a switch
                {
                    "up" => 1,
                    "down" => 0,
                    _ => throw new FormatException($"line {line}: 'link' takes up or down"),
                }
                : int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
                : throw new FormatException($"line {line}: '{a}' is not a whole number");
            }

            steps.Add(new ScenarioStep(at, command, args, line));
            last = at;
        }

        if (steps.Count == 0 || steps[^1].Command != "end")
        {
            throw new FormatException("a scenario must finish with an 'end' line");
        }

        return steps;
    }
}
