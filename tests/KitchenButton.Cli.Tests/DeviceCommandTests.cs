using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Device.Configuration;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class DeviceCommandTests : IAsyncLifetime
{
    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public DeviceCommandTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    private string Out => Path.Combine(_stack.Folder, "certs");

    public async Task InitializeAsync()
    {
        _stack = await OperatorStack.StartAsync(_fixture.Dynalite);
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "pizza")).ExitCode);
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "grill")).ExitCode);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private Task<CliRun> PairAsync(string thing, string station = "pizza") =>
        _stack.RunWithInputAsync("hunter22\n", "device", "pair", thing, station, "--wifi-ssid", "Kitchen", "--wifi-password-file", "-", "--out", Out);

    [Fact]
    public async Task Pairing_makes_everything_the_board_needs_and_the_firmware_reads_its_file()
    {
        CliRun paired = await PairAsync("pizza-oven-1");
        Assert.True(paired.ExitCode == 0, paired.Error);
        Assert.DoesNotContain("hunter22", paired.Output + paired.Error);

        Assert.Equal("pizza", _stack.Aws.Iot.Things["pizza-oven-1"]);
        string certificate = Assert.Single(_stack.Aws.Iot.Certificates);
        Assert.Equal("ACTIVE", _stack.Aws.Iot.StatusOf(certificate));
        Assert.Contains(("KitchenButtonDevice-" + _stack.Environment, certificate), _stack.Aws.Iot.PolicyAttachments);
        Assert.Contains(("pizza-oven-1", certificate), _stack.Aws.Iot.ThingPrincipals);

        DeviceConfigResult config = DeviceConfigParser.Parse(File.ReadAllText(Path.Combine(Out, "pizza-oven-1", "kitchenbutton.ini")));
        Assert.True(config.IsValid);
        Assert.Equal("hunter22", config.Config!.WifiPassword);
        Assert.Equal(8883, config.Config.MqttPort);
        var device = await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default);
        Assert.Equal(config.Config.Secret, device!.Secret);
        Assert.True(device.Enabled);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Out, "pizza-oven-1", "device.private.key")));
        }

        CliRun listed = await _stack.RunAsync("device", "list", "--station", "pizza", "-o", "json");
        JsonElement row = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
        Assert.Equal("pizza-oven-1", row.GetProperty("thing").GetString());
        Assert.True(row.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Pairing_writes_the_deploy_json_nanoff_reads_for_every_file_the_firmware_reads_and_prints_the_commands()
    {
        CliRun paired = await _stack.RunWithInputAsync("hunter22\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "Kitchen", "--wifi-password-file", "-", "--out", Out, "--serial-port", "/dev/ttyUSB0");
        Assert.True(paired.ExitCode == 0, paired.Error);
        string folder = Path.Combine(Out, "pizza-oven-1");

        // Read as nanoff v2.5.162 reads it (FileDeploymentManager: System.Text.Json, case-insensitive names).
        NanoffDeployment deployment = JsonSerializer.Deserialize<NanoffDeployment>(
            File.ReadAllText(Path.Combine(folder, "deploy.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Assert.Equal("/dev/ttyUSB0", deployment.SerialPort);

        // Exactly the I:\ files the firmware opens (FirmwareInfo.cs), each from a file pairing wrote.
        string firmwareInfo = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "firmware", "KitchenButton.Firmware", "FirmwareInfo.cs"));
        string[] read = System.Text.RegularExpressions.Regex.Matches(firmwareInfo, @"(?:ConfigFile|RootCaFile|CertificateFile|PrivateKeyFile) = ""(I:\\\\[^""]+)""")
            .Select(m => m.Groups[1].Value.Replace(@"\\", @"\", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, read.Length);
        Assert.Equal(read.OrderBy(f => f), deployment.Files.Select(f => f.DestinationFilePath).OrderBy(f => f));
        Assert.All(deployment.Files.Where(f => f.DestinationFilePath != @"I:\AmazonRootCA1.pem"), f => Assert.True(File.Exists(f.SourceFilePath), f.SourceFilePath));

        // On AWS the tool writes no CA: it says where Amazon's goes (this stack has no local CA file).
        string ca = Path.Combine(folder, "AmazonRootCA1.pem");
        Assert.False(File.Exists(ca));
        Assert.Contains("put Amazon's root CA beside the board's files first: " + ca, paired.Output, StringComparison.Ordinal);
        Assert.All(deployment.Files, f => Assert.True(Path.IsPathFullyQualified(f.SourceFilePath), f.SourceFilePath));

        Assert.Contains("nanoff --nanodevice --deploy --serialport /dev/ttyUSB0 --image firmware/KitchenButton.Firmware/bin/Release/KitchenButton.Firmware.bin", paired.Output, StringComparison.Ordinal);
        Assert.Contains("nanoff --filedeployment " + Path.Combine(Out, "pizza-oven-1", "deploy.json"), paired.Output, StringComparison.Ordinal);
    }

    /// <summary>nanoff's FileDeploymentConfiguration and DeploymentFile (nanoFirmwareFlasher v2.5.162), as it deserializes them.</summary>
    private sealed record NanoffDeployment(string? SerialPort, System.Collections.Generic.List<NanoffFile> Files);

    private sealed record NanoffFile(string DestinationFilePath, string SourceFilePath);

    [Fact]
    public async Task A_second_board_with_the_same_name_is_a_conflict_and_creates_nothing()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);

        CliRun again = await _stack.RunWithInputAsync("x\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", Path.Combine(_stack.Folder, "second"));

        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("already paired", again.Error);
        Assert.Single(_stack.Aws.Iot.Certificates);
        Assert.False(Directory.Exists(Path.Combine(_stack.Folder, "second")));
    }

    [Theory]
    [InlineData("CreateThing")]
    [InlineData("CreateKeysAndCertificate")]
    [InlineData("AttachPolicy")]
    [InlineData("AttachThingPrincipal")]
    public async Task A_pairing_that_fails_at_any_step_leaves_nothing_behind(string failingStep)
    {
        // As many times as the client tries: a failure that outlasts its retries.
        _stack.Aws.Iot.FailNext(failingStep, times: 3);

        CliRun failed = await PairAsync("pizza-oven-1");

        Assert.Equal(ExitCodes.Failed, failed.ExitCode);
        Assert.Contains("every step was undone", failed.Error);
        Assert.DoesNotContain("   at ", failed.Error);
        Assert.Empty(_stack.Aws.Iot.Things);
        Assert.Empty(_stack.Aws.Iot.Certificates);
        Assert.Empty(_stack.Aws.Iot.PolicyAttachments);
        Assert.Empty(_stack.Aws.Iot.ThingPrincipals);
        Assert.Null(await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default));
        Assert.False(Directory.Exists(Path.Combine(Out, "pizza-oven-1")));

        // Nothing in the way of trying again.
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
    }

    [Fact]
    public async Task Disable_deactivates_the_certificate_and_enable_brings_it_back()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        string certificate = Assert.Single(_stack.Aws.Iot.Certificates);

        CliRun disabled = await _stack.RunAsync("device", "disable", "pizza-oven-1");
        Assert.True(disabled.ExitCode == 0, disabled.Error);
        Assert.Equal("INACTIVE", _stack.Aws.Iot.StatusOf(certificate));
        Assert.False((await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default))!.Enabled);

        Assert.Equal(0, (await _stack.RunAsync("device", "enable", "pizza-oven-1")).ExitCode);
        Assert.Equal("ACTIVE", _stack.Aws.Iot.StatusOf(certificate));
        Assert.True((await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default))!.Enabled);
    }

    [Fact]
    public async Task Move_pairs_the_button_with_another_station_and_keeps_its_secret_and_health()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        byte[] secret = (await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default))!.Secret;
        await _stack.Gateway.Composition.Health.RecordAsync(System.Text.Encoding.UTF8.GetBytes(
            "{\"v\":1,\"fw\":\"1.2.0\",\"boot\":3,\"uptime\":60,\"freeMem\":50000,\"rssi\":-61,\"queued\":0,\"topicThing\":\"pizza-oven-1\",\"receivedAt\":"
            + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + "}"), default);

        CliRun moved = await _stack.RunAsync("device", "move", "pizza-oven-1", "--to", "grill");
        Assert.True(moved.ExitCode == 0, moved.Error);

        var device = await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default);
        Assert.Equal("grill", device!.StationId);
        Assert.Equal(secret, device.Secret);
        Assert.Equal("grill", _stack.Aws.Iot.Things["pizza-oven-1"]);
        CliRun shown = await _stack.RunAsync("device", "show", "pizza-oven-1", "-o", "json");
        JsonElement record = JsonDocument.Parse(shown.Output).RootElement;
        Assert.Equal("grill", record.GetProperty("station").GetString());
        Assert.Equal(1, record.GetProperty("certificates").GetArrayLength());
        Assert.Equal("1.2.0", record.GetProperty("firmware").GetString());
        Assert.Equal(-61, record.GetProperty("wifiRssi").GetInt32());

        CliRun nowhere = await _stack.RunAsync("device", "move", "pizza-oven-1", "--to", "nowhere");
        Assert.Equal(ExitCodes.Failed, nowhere.ExitCode);
        Assert.Contains("no station 'nowhere'", nowhere.Error);
    }

    [Fact]
    public async Task Rotate_secret_changes_the_record_and_the_boards_file_together()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        byte[] before = (await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default))!.Secret;

        Assert.Equal(0, (await _stack.RunAsync("device", "rotate-secret", "pizza-oven-1", "--out", Out)).ExitCode);

        byte[] after = (await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default))!.Secret;
        Assert.NotEqual(before, after);
        DeviceConfigResult config = DeviceConfigParser.Parse(File.ReadAllText(Path.Combine(Out, "pizza-oven-1", "kitchenbutton.ini")));
        Assert.True(config.IsValid);
        Assert.Equal(after, config.Config!.Secret);
        Assert.Equal("hunter22", config.Config.WifiPassword);
    }

    [Fact]
    public async Task Wifi_moves_a_paired_board_to_another_network_keeping_everything_else()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        string ini = Path.Combine(Out, "pizza-oven-1", "kitchenbutton.ini");
        DeviceConfigResult before = DeviceConfigParser.Parse(File.ReadAllText(ini));

        CliRun moved = await _stack.RunWithInputAsync("n3w-pass\n", "device", "wifi", "pizza-oven-1", "--wifi-ssid", "Back Kitchen", "--wifi-password-file", "-", "--out", Out);
        Assert.True(moved.ExitCode == 0, moved.Error);
        Assert.DoesNotContain("n3w-pass", moved.Output + moved.Error);
        Assert.Contains("nanoff --filedeployment " + Path.Combine(Out, "pizza-oven-1", "deploy.json"), moved.Output, StringComparison.Ordinal);

        // What the firmware reads: the new network, the same thing, endpoint and secret.
        DeviceConfigResult after = DeviceConfigParser.Parse(File.ReadAllText(ini));
        Assert.True(after.IsValid);
        Assert.Equal("Back Kitchen", after.Config!.WifiSsid);
        Assert.Equal("n3w-pass", after.Config.WifiPassword);
        Assert.Equal(before.Config!.ThingName, after.Config.ThingName);
        Assert.Equal(before.Config.IotEndpoint, after.Config.IotEndpoint);
        Assert.Equal(before.Config.Secret, after.Config.Secret);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ini));
        }

        CliRun unknown = await _stack.RunWithInputAsync("x\n", "device", "wifi", "grill-1", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", Out);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("there is no " + Path.Combine(Out, "grill-1", "kitchenbutton.ini"), unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_removes_the_certificate_the_thing_the_record_and_the_retained_state_and_can_be_repeated()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        string topic = KitchenButton.Gateway.Feedback.StateMessage.Topic("pizza-oven-1");
        Assert.Equal("{\"pending\":0}", _stack.Aws.Retained(topic));

        CliRun forgot = await _stack.RunAsync("device", "forget", "pizza-oven-1");
        Assert.True(forgot.ExitCode == 0, forgot.Error);

        Assert.Empty(_stack.Aws.Iot.Certificates);
        Assert.Empty(_stack.Aws.Iot.Things);
        Assert.Empty(_stack.Aws.Iot.PolicyAttachments);
        Assert.Null(await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default));

        // IoT deletes a retained message when an empty payload is published retained to its topic.
        Assert.Null(_stack.Aws.Retained(topic));
        KitchenButton.LocalAws.PublishCall cleared = _stack.Aws.Publishes.Last();
        Assert.Equal((topic, true, string.Empty), (cleared.Topic, cleared.Retain, cleared.Payload));
        CliRun again = await _stack.RunAsync("device", "forget", "pizza-oven-1");
        Assert.Equal(ExitCodes.Failed, again.ExitCode);
        Assert.Contains("is not paired", again.Error);

        // The name is free for a new board (whose files go to a fresh folder).
        CliRun repaired = await _stack.RunWithInputAsync("pw\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", Path.Combine(_stack.Folder, "new"));
        Assert.True(repaired.ExitCode == 0, repaired.Error);
    }

    [Fact]
    public async Task Forget_while_IoT_refuses_the_publish_forgets_the_button_and_warns_of_the_message_left()
    {
        Assert.Equal(0, (await PairAsync("pizza-oven-1")).ExitCode);
        _stack.Aws.Calls.Deny("iot:Publish");

        CliRun forgot = await _stack.RunAsync("device", "forget", "pizza-oven-1");
        Assert.True(forgot.ExitCode == 0, forgot.Error);
        Assert.Empty(_stack.Aws.Iot.Things);
        Assert.Null(await _stack.Gateway.Directory.FindDeviceAsync("pizza-oven-1", default));
        Assert.Contains("warning: the retained state message of pizza-oven-1 was not deleted", forgot.Error);
        Assert.Contains("ForbiddenException", forgot.Error);
        Assert.NotNull(_stack.Aws.Retained(KitchenButton.Gateway.Feedback.StateMessage.Topic("pizza-oven-1")));
    }
}
