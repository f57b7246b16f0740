using System.Collections.Generic;
using System.CommandLine;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KitchenButton.Cli.Output;
using KitchenButton.Cli.Stations;

namespace KitchenButton.Cli.Commands;

/// <summary>`station add|list|show|set|remove`.</summary>
public static class StationCommands
{
    public static Command Create(VerbRunner runner)
    {
        var station = new Command("station", "Kitchen stations: where orders wait and buttons are paired.");

        var id = new Argument<string>("station") { Description = "The station's id, e.g. pizza." };
        var name = new Option<string?>("--name") { Description = "A name people read, e.g. \"Pizza oven\"; default: the id." };
        var timeout = new Option<int?>("--timeout-seconds") { Description = "How long an order waits here before it times out (60-86400); default 1800." };

        var add = new Command("add", "Adds a station.") { id, name, timeout };
        add.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            int seconds = parsed.GetValue(timeout) ?? 1800;
            if (StationCatalog.CheckTimeout(seconds) is { } problem)
            {
                throw OperatorException.Usage("--timeout-seconds: " + problem);
            }

            string stationId = parsed.GetValue(id)!;
            await Catalog(context).AddAsync(stationId, parsed.GetValue(name) ?? stationId, seconds, ct);
            context.Say("added station " + stationId);
            return ExitCodes.Ok;
        }));

        var list = new Command("list", "Lists the stations with their buttons and waiting orders.");
        list.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var listing = new Listing("station", "name", "timeoutSeconds", "buttons", "waiting");
            foreach (StationRecord s in await Catalog(context).ListAsync(ct))
            {
                listing.Add(s.StationId, s.Name, s.TimeoutSeconds, s.Buttons, s.Waiting);
            }

            listing.Write(context.Format, context.Console, context.Output);
            return ExitCodes.Ok;
        }));

        var show = new Command("show", "Shows one station.") { id };
        show.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string stationId = parsed.GetValue(id)!;
            StationRecord s = await Catalog(context).FindAsync(stationId, ct)
                ?? throw OperatorException.Failed("there is no station '" + stationId + "'");
            Listing.WriteRecord(context.Format, context.Console, context.Output, new List<(string, JsonNode?)>
            {
                ("station", s.StationId), ("name", s.Name), ("timeoutSeconds", s.TimeoutSeconds), ("buttons", s.Buttons), ("waiting", s.Waiting),
            });
            return ExitCodes.Ok;
        }));

        var set = new Command("set", "Changes a station's name or prep timeout.") { id, name, timeout };
        set.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            int? seconds = parsed.GetValue(timeout);
            string? newName = parsed.GetValue(name);
            if (seconds == null && newName == null)
            {
                throw OperatorException.Usage("nothing to change: give --name or --timeout-seconds");
            }

            if (seconds is int s && StationCatalog.CheckTimeout(s) is { } problem)
            {
                throw OperatorException.Usage("--timeout-seconds: " + problem);
            }

            string stationId = parsed.GetValue(id)!;
            await Catalog(context).SetAsync(stationId, newName, seconds, ct);
            context.Say("changed station " + stationId + " (orders parked from now on use it)");
            return ExitCodes.Ok;
        }));

        var remove = new Command("remove", "Removes a station no button is paired with and no order waits at.") { id };
        remove.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string stationId = parsed.GetValue(id)!;
            await Catalog(context).RemoveAsync(stationId, ct);
            context.Say("removed station " + stationId);
            return ExitCodes.Ok;
        }));

        station.Subcommands.Add(add);
        station.Subcommands.Add(list);
        station.Subcommands.Add(show);
        station.Subcommands.Add(set);
        station.Subcommands.Add(remove);
        return station;
    }

    private static StationCatalog Catalog(CommandContext context) => new(context.Session.Dynamo, context.Session.DynamoJson, context.Session.Names.Tables);
}
