namespace KitchenButton.Device.Control
{
    /// <summary>
    /// One measurement of the chip's native heaps (nanoFramework's NativeMemory.GetMemoryInfo): internal
    /// RAM, and the PSRAM left outside the managed heap on boards that have it. Reused between
    /// measurements, so measuring allocates nothing.
    /// </summary>
    public sealed class NativeHeaps
    {
        public uint InternalFree { get; set; }

        public uint InternalLargestBlock { get; set; }

        /// <summary>0 on a board without PSRAM.</summary>
        public uint PsramTotal { get; set; }

        public uint PsramLargestBlock { get; set; }

        public bool HasPsram => PsramTotal > 0;
    }
}
