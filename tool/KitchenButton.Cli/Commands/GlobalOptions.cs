using System.CommandLine;
using KitchenButton.Cli.Connection;
using KitchenButton.Cli.Output;

namespace KitchenButton.Cli.Commands;

/// <summary>The options every verb takes: where to work and how to print.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Environment { get; } = new("--environment", "-e")
    {
        Description = "The stack's environment (dev, prod, ...): picks its tables, queues and workflow. Required against AWS.",
        Recursive = true,
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region; default: AWS_REGION, then your profile's region.",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "A named profile from your AWS shared config and credentials files.",
        Recursive = true,
    };

    public Option<bool> Local { get; } = new("--local")
    {
        Description = "Work on the running local stack (`dotnet run --project local/KitchenButton.Local -- serve`).",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (default) or json, for scripts.",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Environment);
        root.Options.Add(Region);
        root.Options.Add(Profile);
        root.Options.Add(Local);
        root.Options.Add(Output);
    }

    public AwsTarget TargetOf(ParseResult result) =>
        new(result.GetValue(Environment), result.GetValue(Region), result.GetValue(Profile), result.GetValue(Local));
}
