namespace KitchenButton.Gateway.Presses;

/// <summary>The result values of the state message (docs/protocol.md).</summary>
public static class PressResult
{
    public const string Resumed = "resumed";
    public const string ProblemReported = "problem-reported";
    public const string NoPending = "no-pending";
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";
}
