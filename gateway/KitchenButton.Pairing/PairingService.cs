using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Pairing;

/// <summary>
/// Pairs a button in one step and refuses the mistakes that are costly later: a thing name already in
/// use (two boards with one name knock each other offline in a loop), a station that does not exist,
/// overwriting credentials already on disk. The private key and the secret go only to the output
/// folder (mode 600), never to the console.
/// </summary>
public sealed class PairingService
{
    private readonly IDeviceDirectory _directory;
    private readonly IotThingRegistry _iot;
    private readonly PairingTarget _target;

    public PairingService(IDeviceDirectory directory, IotThingRegistry iot, PairingTarget target)
    {
        _directory = directory;
        _iot = iot;
        _target = target;
    }

    public async Task<PairResult> PairAsync(PairRequest request, CancellationToken cancellationToken)
    {
        if (!ThingNames.IsValid(request.Thing))
        {
            throw new PairingException("'" + request.Thing + "' is not a valid thing name: use 1 to 64 of A-Z a-z 0-9 _ -");
        }

        Station? station = await _directory.FindStationAsync(request.StationId, cancellationToken);
        if (station == null)
        {
            throw new PairingException("there is no station '" + request.StationId + "': create it first (docs/operations.md, Stations and buttons)");
        }

        PairedDevice? existing = await _directory.FindDeviceAsync(request.Thing, cancellationToken);
        if (existing != null && !request.Force)
        {
            throw new PairingException("'" + request.Thing + "' is already paired (station '" + existing.StationId + "'). Every board needs its own thing name: "
                + "two boards with one name knock each other offline in a loop. Choose another name, or pass --force only to replace a broken board.");
        }

        string folder = Path.Combine(request.OutputRoot, request.Thing);
        if (Directory.Exists(folder) && Directory.GetFileSystemEntries(folder).Length > 0)
        {
            throw new PairingException("'" + folder + "' already holds files: move them away first (they may be the credentials of a working board)");
        }

        if (existing == null)
        {
            await _iot.CreateThingAsync(request.Thing, _target.ThingTypeName, request.StationId, cancellationToken);
        }

        ProvisionedCertificate certificate = await _iot.CreateKeysAndCertificateAsync(cancellationToken);
        await _iot.AttachPolicyAsync(_target.DevicePolicyName, certificate.CertificateArn, cancellationToken);
        await _iot.AttachThingPrincipalAsync(request.Thing, certificate.CertificateArn, cancellationToken);

        byte[] secret = RandomNumberGenerator.GetBytes(PressSignature.SecretLength);
        string secretHex = Convert.ToHexStringLower(secret);
        Directory.CreateDirectory(folder);
        Write(folder, "device.cert.pem", certificate.CertificatePem, secret: false);
        Write(folder, "device.private.key", certificate.PrivateKeyPem, secret: true);
        Write(folder, "device.secret", secretHex + "\n", secret: true);
        Write(folder, "kitchenbutton.ini", DeviceConfigFile.Render(request, _target.IotDataEndpoint, secretHex), secret: true);

        // The device record last: a board is only accepted once everything it needs exists.
        await _directory.PutDeviceAsync(new PairedDevice(request.Thing, request.StationId, secret, Enabled: true), cancellationToken);
        return new PairResult(request.Thing, folder, certificate.CertificateArn);
    }

    /// <summary>Stops a button's presses counting (lost, stolen or retired board); its next press is rejected.</summary>
    public async Task DisableAsync(string thing, CancellationToken cancellationToken)
    {
        PairedDevice device = await _directory.FindDeviceAsync(thing, cancellationToken)
            ?? throw new PairingException("'" + thing + "' is not paired");
        await _directory.PutDeviceAsync(device with { Enabled = false }, cancellationToken);
    }

    private static void Write(string folder, string name, string content, bool secret)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
