namespace KitchenButton.Device.Input
{
    /// <summary>Receives what the <see cref="PressDetector"/> recognises in the raw edges.</summary>
    public interface IPressListener
    {
        /// <summary>The button has been held past the long-press threshold; the LED should react now.</summary>
        void OnLongThresholdReached(long nowMs);

        /// <summary>A complete press, reported once on release with its real duration.</summary>
        void OnPress(PressKind kind, int heldMs, long releasedAtMs);

        /// <summary>The button has been held longer than the stuck limit: a fault, not a press.</summary>
        void OnStuck(long nowMs);

        /// <summary>A stuck button was finally released; no press is reported for it.</summary>
        void OnStuckReleased(long releasedAtMs);
    }
}
