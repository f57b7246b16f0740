using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.Cli.Commands;

namespace KitchenButton.Cli;

/// <summary>The `kitchenbutton` command: its verbs, and what a wrong command line returns (exit code 2, errors that name the option).</summary>
public static class KitchenButtonCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("kitchenbutton: stations, buttons, failed presses, test orders and failed clean-ups of a KitchenButton stack (docs/operations.md)");
        global.AddTo(root);
        var runner = new VerbRunner(global, output, error, input, interactive);
        root.Subcommands.Add(StationCommands.Create(runner));
        root.Subcommands.Add(DeviceCommands.Create(runner));
        root.Subcommands.Add(PressCommands.Create(runner));
        root.Subcommands.Add(OrderCommands.Create(runner));
        root.Subcommands.Add(CleanupCommands.Create(runner));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine("kitchenbutton: " + parseError.Message);
            }

            error.WriteLine("Try `kitchenbutton " + CommandPath(parsed.CommandResult) + "--help`.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        string path = string.Empty;
        for (var r = result; r != null && r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            path = r.Command.Name + " " + path;
        }

        return path;
    }
}
