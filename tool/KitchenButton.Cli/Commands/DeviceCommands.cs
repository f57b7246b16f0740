using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Devices;
using KitchenButton.Cli.Output;
using KitchenButton.Cli.Stations;
using KitchenButton.Gateway.Aws;
using Spectre.Console;

namespace KitchenButton.Cli.Commands;

/// <summary>`device pair|list|show|move|enable|disable|rotate-secret|wifi|forget`.</summary>
public static class DeviceCommands
{
    public static Command Create(VerbRunner runner)
    {
        var device = new Command("device", "Buttons: pair them with a station, and everything after.");
        var thing = new Argument<string>("thing") { Description = "The button's thing name, e.g. pizza-oven-1." };
        var outRoot = new Option<string>("--out") { Description = "Where the board's files go, in a folder named after the thing.", DefaultValueFactory = _ => "certs" };

        var station = new Argument<string>("station") { Description = "The station the button is for." };
        var ssid = new Option<string>("--wifi-ssid") { Description = "The kitchen's Wi-Fi network.", Required = true };
        var passwordFile = new Option<string?>("--wifi-password-file") { Description = "A file holding the Wi-Fi password, or - to read it from standard input; without it you are asked (hidden)." };
        var openWifi = new Option<bool>("--open-wifi") { Description = "The network has no password." };
        var endpoint = new Option<string?>("--iot-endpoint") { Description = "Where the board connects; default: the account's iot:Data-ATS endpoint (or the local broker)." };
        var serialPort = new Option<string?>("--serial-port") { Description = "The board's serial port (/dev/ttyUSB0, /dev/cu.usbserial-0001, COM3), written into deploy.json for nanoff." };
        var pair = new Command("pair", "Pairs a new button, all or nothing: thing, active certificate, policy, secret, record and the board's files.")
        {
            thing, station, ssid, passwordFile, openWifi, endpoint, outRoot, serialPort,
        };
        pair.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string password = parsed.GetValue(openWifi) ? string.Empty
                : SecretInput.Read("Wi-Fi password", parsed.GetValue(passwordFile), new CommandContextInput(context.Input, context.Console, context.Interactive));
            var session = context.Session;
            string iotEndpoint = parsed.GetValue(endpoint)
                ?? (session.Local is { } local ? local.Mqtt : await new IotEndpointClient(session.Iot).DescribeDataEndpointAsync(ct));
            var pairing = new DevicePairing(Stations(context), Devices(context), new IotThingRegistry(session.Iot), session.Names, System.TimeProvider.System, session.TargetFlags);
            string? localCa = session.Local is { } stack && System.IO.File.Exists(stack.CaFile) ? await System.IO.File.ReadAllTextAsync(stack.CaFile, ct) : null;
            var request = new PairRequest(parsed.GetValue(thing)!, parsed.GetValue(station)!, parsed.GetValue(ssid)!, password, parsed.GetValue(outRoot)!, parsed.GetValue(serialPort));

            // A spinner for a person at a terminal; scripts get only the result lines.
            PairResult result = context.Interactive
                ? await context.Console.Status().StartAsync("pairing " + request.Thing + "...", _ => pairing.PairAsync(request, iotEndpoint, ct, localCa))
                : await pairing.PairAsync(request, iotEndpoint, ct, localCa);
            context.Say("paired " + result.Thing + " with station " + parsed.GetValue(station) + "; certificate " + result.CertificateArn);
            foreach (string line in BoardSteps.For(result.Folder, request.SerialPort, brokerCaWritten: localCa != null))
            {
                context.Say(line);
            }

            await TellCountAsync(context, request.StationId, request.Thing, ct);
            return ExitCodes.Ok;
        }));

        var stationFilter = new Option<string?>("--station") { Description = "Only the buttons of this station." };
        var list = new Command("list", "Lists paired buttons.") { stationFilter };
        list.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var listing = new Listing("thing", "station", "enabled", "lastSeen", "firmware");
            foreach (DeviceRecord d in await Devices(context).ListAsync(parsed.GetValue(stationFilter), ct))
            {
                listing.Add(d.Thing, d.StationId, d.Enabled, Time(d.LastSeen), d.Firmware);
            }

            listing.Write(context.Format, context.Console, context.Output);
            return ExitCodes.Ok;
        }));

        var show = new Command("show", "Shows a button: its pairing, its last health report and its certificates.") { thing };
        show.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string name = parsed.GetValue(thing)!;
            DeviceRecord d = await Devices(context).FindAsync(name, ct) ?? throw DeviceRegistry.NotPaired(name);
            IReadOnlyList<string> certificates = await new IotThingRegistry(context.Session.Iot).ListThingPrincipalsAsync(name, ct);
            Listing.WriteRecord(context.Format, context.Console, context.Output, new List<(string, JsonNode?)>
            {
                ("thing", d.Thing), ("station", d.StationId), ("enabled", d.Enabled), ("pairedAt", d.PairedAt),
                ("lastSeen", Time(d.LastSeen)), ("firmware", d.Firmware), ("wifiRssi", d.WifiRssi), ("freeMemory", d.FreeMemory),
                ("queuedPresses", d.QueuedPresses), ("uptimeSeconds", d.UptimeSeconds), ("lastError", d.LastError),
                ("certificates", new JsonArray(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(certificates, c => (JsonNode?)JsonValue.Create(c))))),
            });
            return ExitCodes.Ok;
        }));

        var to = new Option<string>("--to") { Description = "The station to move it to.", Required = true };
        var move = new Command("move", "Pairs a button with another station; the board keeps its files.") { thing, to };
        move.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            await Admin(context).MoveAsync(parsed.GetValue(thing)!, parsed.GetValue(to)!, ct);
            context.Say("moved " + parsed.GetValue(thing) + " to station " + parsed.GetValue(to) + "; the gateway sees it within " + DeviceAdmin.TakesEffectWithin.TotalSeconds + " s");
            await TellCountAsync(context, parsed.GetValue(to)!, parsed.GetValue(thing)!, ct);
            return ExitCodes.Ok;
        }));

        var enable = new Command("enable", "Accepts a disabled button's presses again and re-activates its certificate.") { thing };
        enable.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string stationId = await Admin(context).EnableAsync(parsed.GetValue(thing)!, ct);
            context.Say("enabled " + parsed.GetValue(thing));
            await TellCountAsync(context, stationId, parsed.GetValue(thing)!, ct);
            return ExitCodes.Ok;
        }));

        var disable = new Command("disable", "Rejects a button's presses and deactivates its certificate (lost, stolen or retired board).") { thing };
        disable.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            int certificates = await Admin(context).DisableAsync(parsed.GetValue(thing)!, ct);
            context.Say("disabled " + parsed.GetValue(thing) + ": " + certificates + " certificate(s) deactivated; presses rejected within " + DeviceAdmin.TakesEffectWithin.TotalSeconds + " s");
            return ExitCodes.Ok;
        }));

        var rotate = new Command("rotate-secret", "Gives a button a new press secret; upload the new files to the board.") { thing, outRoot };
        rotate.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string folder = await Admin(context).RotateSecretAsync(parsed.GetValue(thing)!, parsed.GetValue(outRoot)!, ct);
            context.Say("new secret for " + parsed.GetValue(thing) + " in " + folder + "/: its presses are refused (bad-signature) until the board has it");
            return ExitCodes.Ok;
        }));

        var wifi = new Command("wifi", "Puts a paired button on another Wi-Fi network (or fixes a mistyped one): rewrites its kitchenbutton.ini; copy it to the board again.")
        {
            thing, ssid, passwordFile, openWifi, outRoot,
        };
        wifi.SetAction(runner.Action((context, parsed, ct) =>
        {
            string name = parsed.GetValue(thing)!;
            string folder = System.IO.Path.Combine(parsed.GetValue(outRoot)!, name);
            string ini = System.IO.Path.Combine(folder, DeviceConfigFile.FileName);
            if (!System.IO.File.Exists(ini))
            {
                throw OperatorException.Failed("there is no " + ini + ": the board's files are where `device pair` wrote them (give that folder's parent with --out)");
            }

            string password = parsed.GetValue(openWifi) ? string.Empty
                : SecretInput.Read("Wi-Fi password", parsed.GetValue(passwordFile), new CommandContextInput(context.Input, context.Console, context.Interactive));
            DeviceConfigFile.Write(folder, DeviceConfigFile.FileName, DeviceConfigFile.WithWifi(System.IO.File.ReadAllText(ini), parsed.GetValue(ssid)!, password), secret: true);
            context.Say(name + " joins '" + parsed.GetValue(ssid) + "' once the board has the new file: nanoff --filedeployment " + System.IO.Path.Combine(folder, NanoffFileDeployment.FileName) + ", then reset the board");
            return System.Threading.Tasks.Task.FromResult(ExitCodes.Ok);
        }));

        var forget = new Command("forget", "Removes a button for good: its certificate, its thing, its record and its retained state message.") { thing };
        forget.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string name = parsed.GetValue(thing)!;
            await Admin(context).ForgetAsync(name, ct);
            context.Say("forgot " + name + ": certificate deactivated and deleted, thing and record deleted");
            try
            {
                await context.Session.StatePublisher.ClearStateAsync(name, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The button is gone either way, and pairing a board under the same name later replaces
                // the message with that board's count.
                context.Warn("the retained state message of " + name + " was not deleted (" + VerbRunner.Explain(e, context.Session).Message
                    + "); it is harmless, and pairing a board under that name replaces it");
            }

            return ExitCodes.Ok;
        }));

        foreach (Command verb in new[] { pair, list, show, move, enable, disable, rotate, wifi, forget })
        {
            device.Subcommands.Add(verb);
        }

        return device;
    }

    /// <summary>
    /// Tells a button that now belongs to a station how many orders wait there: until the next change
    /// at the station it would show none (a new button) or another station's count. The button's
    /// change itself is done by then, so a failure here is a warning with the command that repairs it.
    /// </summary>
    private static async Task TellCountAsync(CommandContext context, string stationId, string thing, CancellationToken cancellationToken)
    {
        try
        {
            int waiting = await context.Session.WaitingCounts.PublishToAsync(stationId, thing, cancellationToken);
            context.Say("told " + thing + " that " + waiting + " order(s) wait at " + stationId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Warn(thing + " was not told how many orders wait at " + stationId + " (" + VerbRunner.Explain(e, context.Session).Message
                + "); it shows the count after the next change there, or now with `kitchenbutton station sync " + stationId + " " + context.Session.TargetFlags + "`");
        }
    }

    private static string? Time(System.DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static StationCatalog Stations(CommandContext context) => new(context.Session.Dynamo, context.Session.DynamoJson, context.Session.Names.Tables);

    private static DeviceRegistry Devices(CommandContext context) => new(context.Session.Dynamo, context.Session.Names.Tables);

    private static DeviceAdmin Admin(CommandContext context) =>
        new(Stations(context), Devices(context), new IotThingRegistry(context.Session.Iot), context.Session.Names);
}
