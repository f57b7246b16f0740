using System.Collections.Generic;
using System.Text;
using KitchenButton.Device.Platform;

namespace KitchenButton.Device.Tests.Control;

/// <summary>A shell that records what the controller asks for and answers as configured.</summary>
internal sealed class RecordingDeviceActions : IDeviceActions
{
    private ushort _nextId = 1;

    public List<uint> PersistedBoots { get; } = new();

    public int ConnectRequests { get; private set; }

    public List<(ushort Id, string Json)> Published { get; } = new();

    public List<(bool On, uint Rgb)> Led { get; } = new();

    public bool StorageWorks { get; set; } = true;

    public bool ClientAcceptsPublish { get; set; } = true;

    public bool PersistBootCounter(uint boot)
    {
        PersistedBoots.Add(boot);
        return StorageWorks;
    }

    /// <summary>The number of the latest attempt asked for.</summary>
    public uint LastAttempt { get; private set; }

    /// <summary>The attempts the controller gave up on.</summary>
    public List<uint> GivenUp { get; } = new();

    public void RequestConnect(uint attempt)
    {
        ConnectRequests++;
        LastAttempt = attempt;
    }

    public void AbandonConnect(uint attempt) => GivenUp.Add(attempt);

    public ushort PublishPress(byte[] payload, int count)
    {
        if (!ClientAcceptsPublish)
        {
            return 0;
        }

        ushort id = _nextId++;
        Published.Add((id, Encoding.ASCII.GetString(payload, 0, count)));
        return id;
    }

    public void SetLed(bool on, uint rgb) => Led.Add((on, rgb));

    public List<string> Statuses { get; } = new();

    public uint FreeMemory { get; set; } = 90_000;

    public void ReadHealth(DeviceHealth health)
    {
        health.FreeMemoryBytes = FreeMemory;
        health.WifiRssi = -58;
        health.LastError = "sntp: 2 retries";
    }

    public void PublishStatus(byte[] payload, int count) => Statuses.Add(Encoding.ASCII.GetString(payload, 0, count));
}
