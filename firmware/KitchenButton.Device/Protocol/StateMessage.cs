namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// The state the gateway publishes (retained) on cmd/kitchenbutton/{thing}/state. Mutable and reused
    /// so parsing allocates nothing.
    /// </summary>
    public sealed class StateMessage
    {
        /// <summary>Orders waiting at the device's station.</summary>
        public int Pending { get; internal set; }

        /// <summary>True when the message carries the result of a press.</summary>
        public bool HasLast { get; internal set; }

        public uint LastBoot { get; internal set; }

        public uint LastSeq { get; internal set; }

        public PressResult LastResult { get; internal set; }

        internal void Reset()
        {
            Pending = 0;
            HasLast = false;
            LastBoot = 0;
            LastSeq = 0;
            LastResult = PressResult.Unknown;
        }
    }
}
