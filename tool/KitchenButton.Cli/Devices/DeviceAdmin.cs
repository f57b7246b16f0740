using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Connection;
using KitchenButton.Cli.Stations;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// Changes to a paired button after pairing. A disabled or forgotten button's certificate is made
/// inactive, so the board cannot even connect; the device record changes at once, and the press
/// handler sees it at the latest <see cref="CachedDeviceDirectory.MaxAge"/> later.
/// </summary>
public sealed class DeviceAdmin
{
    private readonly StationCatalog _stations;
    private readonly DeviceRegistry _devices;
    private readonly IotThingRegistry _iot;
    private readonly ResourceNames _names;

    public DeviceAdmin(StationCatalog stations, DeviceRegistry devices, IotThingRegistry iot, ResourceNames names)
    {
        _stations = stations;
        _devices = devices;
        _iot = iot;
        _names = names;
    }

    public static TimeSpan TakesEffectWithin => CachedDeviceDirectory.MaxAge;

    /// <summary>Pairs the button with another station; the board keeps its credentials (no reflashing).</summary>
    public async Task MoveAsync(string thing, string stationId, CancellationToken cancellationToken)
    {
        DeviceRecord device = await RequireAsync(thing, cancellationToken);
        if (device.StationId == stationId)
        {
            return;
        }

        if (await _stations.FindAsync(stationId, cancellationToken) == null)
        {
            throw OperatorException.Failed("there is no station '" + stationId + "': add it first with `kitchenbutton station add " + stationId + "`");
        }

        await _devices.SetStationAsync(thing, stationId, cancellationToken);
        await _iot.SetStationAsync(thing, stationId, cancellationToken);
    }

    /// <summary>Accepts the button's presses again and re-activates its certificates; returns the station it is paired with.</summary>
    public async Task<string> EnableAsync(string thing, CancellationToken cancellationToken)
    {
        DeviceRecord device = await RequireAsync(thing, cancellationToken);
        foreach (string certificate in await _iot.ListThingPrincipalsAsync(thing, cancellationToken))
        {
            await _iot.SetCertificateActiveAsync(certificate, active: true, cancellationToken);
        }

        await _devices.SetEnabledAsync(thing, true, cancellationToken);
        return device.StationId;
    }

    /// <summary>Rejects the button's presses and deactivates its certificates (a lost, stolen or retired board).</summary>
    public async Task<int> DisableAsync(string thing, CancellationToken cancellationToken)
    {
        await RequireAsync(thing, cancellationToken);

        // The record first: presses stop counting even if IoT refuses the rest.
        await _devices.SetEnabledAsync(thing, false, cancellationToken);
        IReadOnlyList<string> certificates = await _iot.ListThingPrincipalsAsync(thing, cancellationToken);
        foreach (string certificate in certificates)
        {
            await _iot.SetCertificateActiveAsync(certificate, active: false, cancellationToken);
        }

        return certificates.Count;
    }

    /// <summary>
    /// Gives the button a new secret: written to the record and to the board's files in
    /// <paramref name="outputRoot"/>/thing (device.secret, and kitchenbutton.ini when it is there).
    /// The board's presses fail as bad-signature until it has the new file.
    /// </summary>
    public async Task<string> RotateSecretAsync(string thing, string outputRoot, CancellationToken cancellationToken)
    {
        await RequireAsync(thing, cancellationToken);
        byte[] secret = RandomNumberGenerator.GetBytes(PressSignature.SecretLength);
        string secretHex = Convert.ToHexStringLower(secret);
        string folder = Path.Combine(outputRoot, thing);
        Directory.CreateDirectory(folder);

        // Files first: a secret only the table knows would lock the button out with no way back.
        DeviceConfigFile.Write(folder, "device.secret", secretHex + "\n", secret: true);
        string ini = Path.Combine(folder, DeviceConfigFile.FileName);
        if (File.Exists(ini))
        {
            DeviceConfigFile.Write(folder, DeviceConfigFile.FileName, DeviceConfigFile.WithSecret(File.ReadAllText(ini), secretHex), secret: true);
        }

        await _devices.SetSecretAsync(thing, secret, cancellationToken);
        return folder;
    }

    /// <summary>
    /// Removes every trace of the button: its certificates (deactivated, detached, deleted), its thing
    /// and its record. Safe to repeat: pieces already gone are skipped.
    /// </summary>
    public async Task ForgetAsync(string thing, CancellationToken cancellationToken)
    {
        DeviceRecord? device = await _devices.FindAsync(thing, cancellationToken);
        IReadOnlyList<string> certificates = await _iot.ListThingPrincipalsAsync(thing, cancellationToken);
        if (device == null && certificates.Count == 0 && !await _iot.ThingExistsAsync(thing, cancellationToken))
        {
            throw DeviceRegistry.NotPaired(thing);
        }

        if (device != null)
        {
            await _devices.SetEnabledAsync(thing, false, cancellationToken);
        }

        foreach (string certificate in certificates)
        {
            await _iot.SetCertificateActiveAsync(certificate, active: false, cancellationToken);
            await IgnoreMissingAsync(_iot.DetachPolicyAsync(_names.DevicePolicy, certificate, cancellationToken));
            await IgnoreMissingAsync(_iot.DetachThingPrincipalAsync(thing, certificate, cancellationToken));
            await IgnoreMissingAsync(_iot.DeleteCertificateAsync(certificate, cancellationToken));
        }

        await IgnoreMissingAsync(_iot.DeleteThingAsync(thing, cancellationToken));
        await _devices.DeleteAsync(thing, cancellationToken);
    }

    private async Task<DeviceRecord> RequireAsync(string thing, CancellationToken cancellationToken) =>
        await _devices.FindAsync(thing, cancellationToken) ?? throw DeviceRegistry.NotPaired(thing);

    private static async Task IgnoreMissingAsync(Task step)
    {
        try
        {
            await step;
        }
        catch (AwsServiceException e) when (e.Error.Code == "ResourceNotFoundException")
        {
            // Already gone: forgetting twice is fine.
        }
    }
}
