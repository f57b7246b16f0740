namespace KitchenButton.Gateway.Presses;

/// <summary>The two gestures of the protocol: short = order ready, long = problem with the order.</summary>
public enum PressKind
{
    Short,
    Long,
}
