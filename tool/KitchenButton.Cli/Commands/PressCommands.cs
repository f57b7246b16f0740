using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KitchenButton.Cli.Failures;
using KitchenButton.Cli.Output;
using KitchenButton.Cli.Presses;

namespace KitchenButton.Cli.Commands;

/// <summary>`presses failed|replay`: the presses that never reached an order, and sending them again.</summary>
public static class PressCommands
{
    public static Command Create(VerbRunner runner)
    {
        var presses = new Command("presses", "Presses that failed: in the press handler's failure queue or the press rule's error queue.");

        var failed = new Command("failed", "Lists failed presses, decoded: which button, which press, why.");
        failed.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var listing = new Listing("message", "queue", "thing", "press", "kind", "why", "replayable");
            foreach (FailedPress p in await Queues(context).PeekAsync(ct))
            {
                listing.Add(p.MessageId, QueueName(p.Source), p.Thing, p.PressId, p.Kind, p.Why, p.Event != null);
            }

            listing.Write(context.Format, context.Console, context.Output);
            return ExitCodes.Ok;
        }));

        var replay = FailureReplay.Verb(runner, "Sends failed presses to the press handler again; each one counts at most once.", "presses failed", "failed press", async (context, chosen, everything, ct) =>
        {
            FailedPressQueues queues = Queues(context);
            var replayer = new PressReplayer(new FunctionInvoker(context.Session.Lambda), context.Session.Names.PressFunction);
            IReadOnlyList<FailedPress> taken = await queues.TakeAsync(FailureReplay.HideWhileReplaying, ct);
            return await FailureReplay.RunAsync(context, taken, chosen, everything, "failed press", new Listing("message", "thing", "press", "result", "detail"),
                p => queues.ReleaseAsync(p, ct),
                p => queues.DeleteAsync(p, ct),
                async p =>
                {
                    // Handled, whatever the outcome (resumed, duplicate, rejected): the press has its fate.
                    ReplayResult result = await replayer.ReplayAsync(p.Event!, ct);
                    return (result.Handled, new JsonNode?[] { p.MessageId, p.Thing, p.PressId, result.Result, result.Detail });
                },
                p => new JsonNode?[] { p.MessageId, p.Thing, p.PressId, "not replayable", p.Problem });
        });

        presses.Subcommands.Add(failed);
        presses.Subcommands.Add(replay);
        return presses;
    }

    private static string QueueName(FailureSource source) => source == FailureSource.PressFailures ? "press-failures" : "rule-errors";

    private static FailedPressQueues Queues(CommandContext context) => new(context.Session.Sqs, context.Session.Names);
}
