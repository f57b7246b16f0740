using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using KitchenButton.Device.Configuration;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Pairing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Pairing;

public sealed class PairingServiceTests : GatewayTestBase, IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "kb-pair-" + Guid.NewGuid().ToString("N"));
    private PairingService _service = null!;

    public PairingServiceTests(DynaliteFixture dynalite)
        : base(dynalite)
    {
    }

    protected override async Task ArrangeAsync()
    {
        await Gw.Directory.PutStationAsync(new Station("pizza", "Pizza oven", 1200), CancellationToken.None);
        var http = new SignedAwsHttpClient(new HttpClient(), new BasicAWSCredentials("AKIDLOCAL", "local"), IotEndpointClient.SigningService,
            new AwsClientOptions { Endpoint = Gw.Aws.BaseUri, Region = "eu-west-1" }, TimeProvider.System);
        _service = new PairingService(Gw.Directory, new IotThingRegistry(http), new PairingTarget("KitchenButton-dev", "KitchenButtonDevice-dev", await new IotEndpointClient(http).DescribeDataEndpointAsync(CancellationToken.None)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private PairRequest Request(string thing = "pizza-oven-1", string station = "pizza") => new(thing, station, "Kitchen WiFi", "correct horse battery", _out);

    [Fact]
    public async Task Pairing_provisions_the_thing_and_writes_what_the_board_needs()
    {
        PairResult result = await _service.PairAsync(Request(), CancellationToken.None);

        Assert.Equal("pizza", Gw.Aws.Things["pizza-oven-1"]);
        string certificate = Assert.Single(Gw.Aws.Certificates);
        Assert.Equal(certificate, result.CertificateArn);
        Assert.Contains(("KitchenButtonDevice-dev", certificate), Gw.Aws.PolicyAttachments);
        Assert.Contains(("pizza-oven-1", certificate), Gw.Aws.ThingPrincipals);

        Assert.Equal(new[] { "device.cert.pem", "device.private.key", "device.secret", "kitchenbutton.ini" },
            Directory.GetFiles(result.Folder).Select(Path.GetFileName).OrderBy(n => n));
        Assert.Contains("BEGIN CERTIFICATE", File.ReadAllText(Path.Combine(result.Folder, "device.cert.pem")));
        if (!OperatingSystem.IsWindows())
        {
            foreach (string secretFile in new[] { "device.private.key", "device.secret", "kitchenbutton.ini" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(result.Folder, secretFile)));
            }
        }

        // The firmware's own parser accepts the configuration, and it carries the paired secret.
        DeviceConfigResult config = DeviceConfigParser.Parse(File.ReadAllText(Path.Combine(result.Folder, "kitchenbutton.ini")));
        Assert.True(config.IsValid);
        Assert.Equal("pizza-oven-1", config.Config!.ThingName);
        Assert.Equal("local-ats.iot.eu-west-1.amazonaws.com", config.Config.IotEndpoint);
        string secretHex = File.ReadAllText(Path.Combine(result.Folder, "device.secret")).Trim();
        Assert.Equal(secretHex, Convert.ToHexStringLower(config.Config.Secret));

        PairedDevice device = (await Gw.Directory.FindDeviceAsync("pizza-oven-1", CancellationToken.None))!;
        Assert.True(device.Enabled);
        Assert.Equal("pizza", device.StationId);
        Assert.Equal(secretHex, Convert.ToHexStringLower(device.Secret));
    }

    [Fact]
    public async Task A_press_signed_with_the_paired_secret_is_accepted_by_the_gateway()
    {
        PairResult result = await _service.PairAsync(Request(), CancellationToken.None);
        byte[] secret = Convert.FromHexString(File.ReadAllText(Path.Combine(result.Folder, "device.secret")).Trim());
        PressOutcome outcome = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", secret, 1, 1, Now));
        Assert.Equal(PressResult.NoPending, outcome.Result);
    }

    [Fact]
    public async Task A_thing_name_already_in_use_is_refused_and_nothing_is_provisioned()
    {
        await _service.PairAsync(Request(), CancellationToken.None);
        string otherFolder = Path.Combine(_out, "second");
        var e = await Assert.ThrowsAsync<PairingException>(() => _service.PairAsync(Request() with { OutputRoot = otherFolder }, CancellationToken.None));
        Assert.Contains("already paired", e.Message);
        Assert.Contains("knock each other offline", e.Message);
        Assert.Single(Gw.Aws.Certificates);
        Assert.False(Directory.Exists(Path.Combine(otherFolder, "pizza-oven-1")));
    }

    [Fact]
    public async Task Force_replaces_a_broken_board_with_new_credentials_and_the_old_secret_stops_working()
    {
        PairResult first = await _service.PairAsync(Request(), CancellationToken.None);
        byte[] oldSecret = Convert.FromHexString(File.ReadAllText(Path.Combine(first.Folder, "device.secret")).Trim());
        Directory.Delete(first.Folder, recursive: true);

        PairResult second = await _service.PairAsync(Request() with { Force = true }, CancellationToken.None);

        Assert.Equal(2, Gw.Aws.Certificates.Count);
        Assert.Single(Gw.Aws.Things);
        PressOutcome stale = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", oldSecret, 1, 1, Now));
        Assert.Equal(RejectReason.BadSignature, stale.Reason);
        Assert.NotEqual(first.CertificateArn, second.CertificateArn);
    }

    [Fact]
    public async Task An_unknown_station_an_invalid_name_or_existing_files_are_refused_before_anything_is_made()
    {
        var noStation = await Assert.ThrowsAsync<PairingException>(() => _service.PairAsync(Request(station: "sushi"), CancellationToken.None));
        Assert.Contains("no station 'sushi'", noStation.Message);
        var badName = await Assert.ThrowsAsync<PairingException>(() => _service.PairAsync(Request(thing: "pizza/oven"), CancellationToken.None));
        Assert.Contains("not a valid thing name", badName.Message);
        Directory.CreateDirectory(Path.Combine(_out, "grill-1"));
        File.WriteAllText(Path.Combine(_out, "grill-1", "device.private.key"), "a working board's key");
        await Gw.Directory.PutStationAsync(new Station("grill", "Grill", 900), CancellationToken.None);
        var files = await Assert.ThrowsAsync<PairingException>(() => _service.PairAsync(Request(thing: "grill-1", station: "grill"), CancellationToken.None));
        Assert.Contains("already holds files", files.Message);
        Assert.Empty(Gw.Aws.Things);
        Assert.Empty(Gw.Aws.Certificates);
    }

    [Fact]
    public async Task A_disabled_button_is_rejected_from_its_next_press()
    {
        PairResult result = await _service.PairAsync(Request(), CancellationToken.None);
        byte[] secret = Convert.FromHexString(File.ReadAllText(Path.Combine(result.Folder, "device.secret")).Trim());
        await _service.DisableAsync("pizza-oven-1", CancellationToken.None);
        PressOutcome outcome = await Gw.PressAsync(PressEvents.Signed("pizza-oven-1", secret, 1, 1, Now));
        Assert.Equal(RejectReason.DeviceDisabled, outcome.Reason);
        await Assert.ThrowsAsync<PairingException>(() => _service.DisableAsync("nobody", CancellationToken.None));
    }
}
