using System.Collections.Generic;
using KitchenButton.Device.Input;

namespace KitchenButton.Device.Tests.Input;

/// <summary>Records what the detector reports, in order.</summary>
internal sealed class RecordingPressListener : IPressListener
{
    public List<string> Events { get; } = new();

    public List<(PressKind Kind, int HeldMs, long ReleasedAt)> Presses { get; } = new();

    public void OnLongThresholdReached(long nowMs) => Events.Add("long@" + nowMs);

    public void OnPress(PressKind kind, int heldMs, long releasedAtMs)
    {
        Presses.Add((kind, heldMs, releasedAtMs));
        Events.Add((kind == PressKind.Long ? "long-press " : "short-press ") + heldMs + "ms@" + releasedAtMs);
    }

    public void OnStuck(long nowMs) => Events.Add("stuck@" + nowMs);

    public void OnStuckReleased(long releasedAtMs) => Events.Add("stuck-released@" + releasedAtMs);
}
