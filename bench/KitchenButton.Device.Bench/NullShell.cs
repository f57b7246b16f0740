using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Bench;

/// <summary>A shell that accepts everything at once and remembers only the last packet id.</summary>
internal sealed class NullShell : IDeviceActions
{
    private ushort _nextId;

    public ushort LastId { get; private set; }

    public int Bytes { get; private set; }

    public bool PersistBootCounter(uint boot) => true;

    public void RequestConnect(uint attempt)
    {
    }

    public void AbandonConnect(uint attempt)
    {
    }

    public ushort PublishPress(byte[] payload, int count)
    {
        _nextId = (ushort)(_nextId == ushort.MaxValue ? 1 : _nextId + 1);
        LastId = _nextId;
        Bytes += count;
        return _nextId;
    }

    public void SetLed(bool on, uint rgb)
    {
    }

    public void ReadHealth(DeviceHealth health)
    {
        health.FreeMemoryBytes = 100_000;
    }

    public void PublishStatus(byte[] payload, int count)
    {
        Bytes += count;
    }
}
