namespace KitchenButton.Cli.Output;

/// <summary>How listings are printed: a table for people, JSON for scripts.</summary>
public enum OutputFormat
{
    Table,
    Json,
}
