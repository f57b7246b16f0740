namespace KitchenButton.Device.Protocol
{
    /// <summary>What the gateway did with a press, as reported on the state topic.</summary>
    public enum PressResult
    {
        /// <summary>A result value this firmware does not know (a newer gateway); shown as nothing.</summary>
        Unknown = 0,
        Resumed,
        ProblemReported,
        NoPending,
        Rejected,
        Duplicate,
    }
}
