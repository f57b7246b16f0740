namespace KitchenButton.Cli;

/// <summary>What `kitchenbutton` returns, for scripts (docs/operations.md, Exit codes).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>AWS refused or failed, or a step could not be done.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong, or a region or credentials are missing.</summary>
    public const int Usage = 2;

    /// <summary>The change conflicts with what exists (a duplicate thing or station, a station still in use).</summary>
    public const int Conflict = 3;
}
