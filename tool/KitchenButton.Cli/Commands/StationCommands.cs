using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Output;
using KitchenButton.Cli.Stations;
using KitchenButton.Gateway.Feedback;

namespace KitchenButton.Cli.Commands;

/// <summary>`station add|list|show|set|remove|sync`.</summary>
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

        var ids = new Argument<string[]>("station") { Description = "The stations whose buttons to tell; none with --all.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every station." };
        var sync = new Command("sync", "Tells every button of the stations how many orders wait there now, as the notifier does after each change.") { ids, all };
        sync.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string[] chosen = parsed.GetValue(ids) ?? Array.Empty<string>();
            bool everything = parsed.GetValue(all);
            if (chosen.Length == 0 && !everything)
            {
                throw OperatorException.Usage("name the stations to sync, or pass --all");
            }

            if (chosen.Length > 0 && everything)
            {
                throw OperatorException.Usage("name the stations or pass --all, not both");
            }

            return await SyncAsync(context, chosen, everything, ct);
        }));

        station.Subcommands.Add(add);
        station.Subcommands.Add(list);
        station.Subcommands.Add(show);
        station.Subcommands.Add(set);
        station.Subcommands.Add(remove);
        station.Subcommands.Add(sync);
        return station;
    }

    /// <summary>
    /// Every station named must exist before any button is told (a typo is refused whole); then each
    /// station in turn, a failure at one reported in its row without stopping the others.
    /// </summary>
    private static async Task<int> SyncAsync(CommandContext context, string[] chosen, bool everything, CancellationToken cancellationToken)
    {
        StationCatalog catalog = Catalog(context);
        var stations = new List<string>();
        if (everything)
        {
            foreach (StationRecord s in await catalog.ListAsync(cancellationToken))
            {
                stations.Add(s.StationId);
            }
        }
        else
        {
            foreach (string stationId in chosen.Distinct(StringComparer.Ordinal))
            {
                _ = await catalog.FindAsync(stationId, cancellationToken) ?? throw OperatorException.Failed("there is no station '" + stationId + "': nothing was published");
                stations.Add(stationId);
            }
        }

        var listing = new Listing("station", "waiting", "buttons", "error");
        WaitingCountPublisher counts = context.Session.WaitingCounts;
        int failures = 0;
        foreach (string stationId in stations)
        {
            try
            {
                CountTold told = await counts.PublishAsync(stationId, cancellationToken);
                listing.Add(stationId, told.Waiting, told.Buttons, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                listing.Add(stationId, null, null, VerbRunner.Explain(e, context.Session).Message);
                failures++;
            }
        }

        listing.Write(context.Format, context.Console, context.Output);
        return failures > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static StationCatalog Catalog(CommandContext context) => new(context.Session.Dynamo, context.Session.DynamoJson, context.Session.Names.Tables);
}
