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
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// Pairs a button all or nothing: the thing, an active certificate with the device policy and the
/// thing attached, a fresh secret, the board's files and, last, the device record. A step that fails
/// undoes every step before it, so a failed pairing leaves no active certificate, no thing and no
/// files behind. Refuses what is costly later: a thing name in use (two boards with one name knock
/// each other offline in a loop), a station that does not exist, a folder that already holds files.
/// </summary>
public sealed class DevicePairing
{
    private readonly StationCatalog _stations;
    private readonly DeviceRegistry _devices;
    private readonly IotThingRegistry _iot;
    private readonly ResourceNames _names;
    private readonly string _targetFlags;
    private readonly TimeProvider _time;

    /// <param name="targetFlags">The flags that pick this target again (-e ENV, --local), for the commands a refusal suggests.</param>
    public DevicePairing(StationCatalog stations, DeviceRegistry devices, IotThingRegistry iot, ResourceNames names, TimeProvider time, string targetFlags = "")
    {
        _targetFlags = targetFlags.Length == 0 ? string.Empty : " " + targetFlags;
        _stations = stations;
        _devices = devices;
        _iot = iot;
        _names = names;
        _time = time;
    }

    /// <param name="iotDataEndpoint">Where the board connects: the account's iot:Data-ATS endpoint.</param>
    /// <param name="serverCaPem">The CA the board checks its broker with, when it is not Amazon's (the local stack's).</param>
    public async Task<PairResult> PairAsync(PairRequest request, string iotDataEndpoint, CancellationToken cancellationToken, string? serverCaPem = null)
    {
        if (!ThingNames.IsValid(request.Thing))
        {
            throw OperatorException.Usage("'" + request.Thing + "' is not a valid thing name: use 1 to 64 of A-Z a-z 0-9 _ -");
        }

        if (await _stations.FindAsync(request.StationId, cancellationToken) == null)
        {
            throw OperatorException.Failed("there is no station '" + request.StationId + "': add it first with `kitchenbutton station add " + request.StationId + _targetFlags + "`");
        }

        if (await _devices.FindAsync(request.Thing, cancellationToken) is { } existing)
        {
            throw AlreadyPaired(request.Thing, existing.StationId);
        }

        string folder = Path.Combine(request.OutputRoot, request.Thing);
        if (Directory.Exists(folder) && Directory.GetFileSystemEntries(folder).Length > 0)
        {
            throw OperatorException.Conflict("'" + folder + "' already holds files: move them away first (they may be the credentials of a working board)");
        }

        var undo = new UndoLog();
        try
        {
            try
            {
                await _iot.CreateThingAsync(request.Thing, _names.ThingType, request.StationId, cancellationToken);
            }
            catch (AwsServiceException e) when (e.Error.Code == "ResourceAlreadyExistsException")
            {
                throw OperatorException.Conflict("AWS IoT already has a thing named '" + request.Thing + "' (not paired here): choose another name, "
                    + "or `kitchenbutton device forget " + request.Thing + "` if it is left over from a retired board");
            }

            undo.Done("thing " + request.Thing, ct => _iot.DeleteThingAsync(request.Thing, ct));

            ProvisionedCertificate certificate = await _iot.CreateKeysAndCertificateAsync(cancellationToken);
            undo.Done("certificate " + certificate.CertificateId, async ct =>
            {
                await _iot.SetCertificateActiveAsync(certificate.CertificateArn, active: false, ct);
                await _iot.DeleteCertificateAsync(certificate.CertificateArn, ct);
            });

            await _iot.AttachPolicyAsync(_names.DevicePolicy, certificate.CertificateArn, cancellationToken);
            undo.Done("policy attachment", ct => _iot.DetachPolicyAsync(_names.DevicePolicy, certificate.CertificateArn, ct));

            await _iot.AttachThingPrincipalAsync(request.Thing, certificate.CertificateArn, cancellationToken);
            undo.Done("thing attachment", ct => _iot.DetachThingPrincipalAsync(request.Thing, certificate.CertificateArn, ct));

            byte[] secret = RandomNumberGenerator.GetBytes(PressSignature.SecretLength);
            string secretHex = Convert.ToHexStringLower(secret);
            bool folderExisted = Directory.Exists(folder);
            Directory.CreateDirectory(folder);
            undo.Done("folder " + folder, _ =>
            {
                foreach (string file in Directory.GetFiles(folder))
                {
                    File.Delete(file);
                }

                if (!folderExisted)
                {
                    Directory.Delete(folder);
                }

                return Task.CompletedTask;
            });
            DeviceConfigFile.Write(folder, "device.cert.pem", certificate.CertificatePem, secret: false);
            DeviceConfigFile.Write(folder, "device.private.key", certificate.PrivateKeyPem, secret: true);
            DeviceConfigFile.Write(folder, "device.secret", secretHex + "\n", secret: true);
            if (serverCaPem != null)
            {
                // The file name the firmware reads its broker's CA from (FirmwareInfo.RootCaFile).
                DeviceConfigFile.Write(folder, "AmazonRootCA1.pem", serverCaPem, secret: false);
            }

            DeviceConfigFile.Write(folder, DeviceConfigFile.FileName,
                DeviceConfigFile.Render(request.Thing, request.StationId, request.WifiSsid, request.WifiPassword, iotDataEndpoint, secretHex), secret: true);

            // What `nanoff --filedeployment` copies onto the board's I:\ (hardware.md, step 6).
            DeviceConfigFile.Write(folder, NanoffFileDeployment.FileName, NanoffFileDeployment.Render(folder, request.SerialPort), secret: false);

            // The device record last: a board is only accepted once everything it needs exists.
            if (!await _devices.CreateAsync(request.Thing, request.StationId, secret, _time.GetUtcNow(), cancellationToken))
            {
                throw AlreadyPaired(request.Thing, "?");
            }

            return new PairResult(request.Thing, folder, certificate.CertificateArn);
        }
        catch (Exception failure)
        {
            // Undo even when the operator pressed Ctrl+C: a half-paired button is worse than a slow exit.
            IReadOnlyList<string> leftBehind = await undo.RollBackAsync(CancellationToken.None);
            string reason = failure is OperatorException ? failure.Message : "pairing failed (" + failure.Message + ")";
            if (leftBehind.Count == 0)
            {
                throw new OperatorException(failure is OperatorException o ? o.ExitCode : ExitCodes.Failed, reason + "; every step was undone", failure);
            }

            throw OperatorException.Failed(reason + "; could NOT undo: " + string.Join("; ", leftBehind) + " - remove them by hand (docs/operations.md)", failure);
        }
    }

    private static OperatorException AlreadyPaired(string thing, string stationId) =>
        OperatorException.Conflict("'" + thing + "' is already paired (station '" + stationId + "'). Every board needs its own thing name: "
            + "two boards with one name knock each other offline in a loop. Choose another name; to replace a broken board, `device forget` it first.");
}
