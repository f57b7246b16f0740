using KitchenButton.Device.Input;

namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// The signed fields of one press (wire format v1, see docs/protocol.md). Mutable and reused:
    /// the device fills one instance per send instead of allocating a message per press.
    /// </summary>
    public sealed class PressMessage
    {
        public uint Boot { get; set; }

        public uint Seq { get; set; }

        /// <summary>Unix time of the release, in whole seconds (UTC).</summary>
        public long Timestamp { get; set; }

        public PressKind Kind { get; set; }

        public int HeldMs { get; set; }

        /// <summary>True when the press waited in the outbox because the device was offline.</summary>
        public bool Queued { get; set; }
    }
}
