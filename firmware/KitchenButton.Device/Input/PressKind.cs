namespace KitchenButton.Device.Input
{
    /// <summary>The two gestures a cook can make.</summary>
    public enum PressKind
    {
        /// <summary>Released before the long-press threshold: "this order is ready".</summary>
        Short = 0,

        /// <summary>Held past the long-press threshold: "there is a problem with this order".</summary>
        Long = 1,
    }
}
