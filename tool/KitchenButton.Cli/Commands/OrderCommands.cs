using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Threading.Tasks;
using KitchenButton.Cli.Orders;
using KitchenButton.Cli.Output;

namespace KitchenButton.Cli.Commands;

/// <summary>`order start|list`: a test order through the real workflow, and what waits at the stations.</summary>
public static class OrderCommands
{
    public static Command Create(VerbRunner runner)
    {
        var order = new Command("order", "Orders: start one for a test, list those waiting.");

        var station = new Option<string>("--station") { Description = "The station the order waits at.", Required = true };
        var items = new Option<string[]>("--items") { Description = "Dishes, e.g. \"2x margherita\" \"lemonade\"; default: one test dish.", AllowMultipleArgumentsPerToken = true };
        var orderId = new Option<string?>("--order-id") { Description = "The order's id (and execution name); default: test-<time>." };
        var start = new Command("start", "Starts an order execution of the stack's workflow, for a test.") { station, items, orderId };
        start.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var dishes = new List<OrderItem>();
            foreach (string text in parsed.GetValue(items) ?? Array.Empty<string>())
            {
                dishes.Add(OrderStarter.ParseItem(text) ?? throw OperatorException.Usage("--items: '" + text + "' is not a dish (e.g. \"2x margherita\")"));
            }

            if (dishes.Count == 0)
            {
                dishes.Add(new OrderItem("test dish", 1));
            }

            string id = parsed.GetValue(orderId) ?? "test-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            string execution = await new OrderStarter(context.Session.StepFunctions, context.Session.Names.StateMachine).StartAsync(id, parsed.GetValue(station)!, dishes, ct);
            Listing.WriteRecord(context.Format, context.Console, context.Output, new List<(string, System.Text.Json.Nodes.JsonNode?)>
            {
                ("orderId", id), ("station", parsed.GetValue(station)), ("executionArn", execution),
            });
            return ExitCodes.Ok;
        }));

        var stationFilter = new Option<string?>("--station") { Description = "Only the orders of this station." };
        var list = new Command("list", "Lists the orders waiting at stations, oldest first.") { stationFilter };
        list.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var listing = new Listing("station", "orderId", "summary", "since", "expiresAt", "claimed");
            foreach (TicketView o in await new TicketList(context.Session.Dynamo, context.Session.Names.Tables).ListAsync(parsed.GetValue(stationFilter), DateTimeOffset.UtcNow, ct))
            {
                listing.Add(o.StationId, o.OrderId, o.Summary, Time(o.Since), Time(o.ExpiresAt), o.Claimed);
            }

            listing.Write(context.Format, context.Console, context.Output);
            return ExitCodes.Ok;
        }));

        order.Subcommands.Add(start);
        order.Subcommands.Add(list);
        return order;
    }

    private static string? Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
