using System.Text.Json.Nodes;

namespace KitchenButton.StepFunctions.Tests.OrderWorkflow;

/// <summary>What the kitchen does with one parked order: a short press, a long press, or nothing until its timeout.</summary>
public sealed record KitchenAnswer(JsonObject? Output, string? Error, string? Cause)
{
    public static KitchenAnswer Pressed(JsonObject output) => new(output, null, null);

    public static KitchenAnswer Problem(string error, string cause) => new(null, error, cause);

    public static readonly KitchenAnswer TimedOut = new(null, null, null);

    public bool IsTimeout => Output == null && Error == null;
}
