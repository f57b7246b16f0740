using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.Cli.Output;
using KitchenButton.Cli.Presses;

namespace KitchenButton.Cli.Commands;

/// <summary>`presses failed|replay`: the presses that never reached an order, and sending them again.</summary>
public static class PressCommands
{
    /// <summary>How long a replay hides the messages it took from other readers.</summary>
    private static readonly TimeSpan HideWhileReplaying = TimeSpan.FromMinutes(2);

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

        var messages = new Argument<string[]>("message") { Description = "Message ids from `presses failed`; none with --all.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Replay every replayable failed press." };
        var replay = new Command("replay", "Sends failed presses to the press handler again; each one counts at most once.") { messages, all };
        replay.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string[] chosen = parsed.GetValue(messages) ?? Array.Empty<string>();
            bool everything = parsed.GetValue(all);
            if (chosen.Length == 0 && !everything)
            {
                throw OperatorException.Usage("name the messages to replay (from `presses failed`), or pass --all");
            }

            FailedPressQueues queues = Queues(context);
            var replayer = new PressReplayer(context.Session.Lambda, context.Session.Names.PressFunction);
            IReadOnlyList<FailedPress> taken = await queues.TakeAsync(HideWhileReplaying, ct);
            var wanted = new HashSet<string>(chosen, StringComparer.Ordinal);
            string[] missing = chosen.Where(id => taken.All(p => p.MessageId != id)).ToArray();
            var listing = new Listing("message", "thing", "press", "result", "detail");
            int failures = 0;
            foreach (FailedPress other in taken.Where(p => !everything && !wanted.Contains(p.MessageId)))
            {
                // Not chosen: back to the queue at once, not hidden for the replay's duration.
                await queues.ReleaseAsync(other, ct);
            }

            foreach (FailedPress p in taken.Where(p => everything || wanted.Contains(p.MessageId)))
            {
                if (p.Event == null)
                {
                    // It stays in its queue, visible, for someone to read.
                    await queues.ReleaseAsync(p, ct);
                    listing.Add(p.MessageId, p.Thing, p.PressId, "not replayable", p.Problem);
                    failures++;
                    continue;
                }

                ReplayResult result = await replayer.ReplayAsync(p.Event, ct);
                if (result.Handled)
                {
                    // Handled, whatever the outcome (resumed, duplicate, rejected): the press has its fate.
                    await queues.DeleteAsync(p, ct);
                }
                else
                {
                    // The handler failed again: the press stays in its queue, visible at once.
                    await queues.ReleaseAsync(p, ct);
                    failures++;
                }

                listing.Add(p.MessageId, p.Thing, p.PressId, result.Result, result.Detail);
            }

            listing.Write(context.Format, context.Console, context.Output);
            foreach (string id in missing)
            {
                context.Say("no failed press with message id " + id + " (already replayed, or taken by another replay)");
            }

            return failures > 0 || missing.Length > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }));

        presses.Subcommands.Add(failed);
        presses.Subcommands.Add(replay);
        return presses;
    }

    private static string QueueName(FailureSource source) => source == FailureSource.PressFailures ? "press-failures" : "rule-errors";

    private static FailedPressQueues Queues(CommandContext context) => new(context.Session.Sqs, context.Session.Names);
}
