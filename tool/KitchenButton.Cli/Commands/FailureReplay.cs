using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Failures;
using KitchenButton.Cli.Output;

namespace KitchenButton.Cli.Commands;

/// <summary>
/// A `replay` verb's work over the messages it took from failure queues: those not chosen go back at
/// once; one without an event stays in its queue, visible, for someone to read; one its function
/// handled is deleted, whatever it came to; one the function failed again goes back, visible at once.
/// </summary>
public static class FailureReplay
{
    /// <summary>How long a replay hides the messages it took from other readers, so two replays never race.</summary>
    public static readonly TimeSpan HideWhileReplaying = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A `replay` verb: message ids from <paramref name="listVerb"/>, or --all (one of them is needed);
    /// <paramref name="run"/> gets the chosen ids and whether all were asked for.
    /// </summary>
    public static Command Verb(VerbRunner runner, string description, string listVerb, string noun, Func<CommandContext, string[], bool, CancellationToken, Task<int>> run)
    {
        var messages = new Argument<string[]>("message") { Description = "Message ids from `" + listVerb + "`; none with --all.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Replay every replayable " + noun + "." };
        var replay = new Command("replay", description) { messages, all };
        replay.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            string[] chosen = parsed.GetValue(messages) ?? Array.Empty<string>();
            bool everything = parsed.GetValue(all);
            if (chosen.Length == 0 && !everything)
            {
                throw OperatorException.Usage("name the messages to replay (from `" + listVerb + "`), or pass --all");
            }

            return await run(context, chosen, everything, ct);
        }));
        return replay;
    }

    /// <param name="replay">Sends a message's event again: whether the function handled it, and its row of the listing.</param>
    /// <param name="unreplayable">The listing's row for a message without an event.</param>
    /// <returns>The exit code: failed if any message failed again, could not be replayed or was not found.</returns>
    public static async Task<int> RunAsync<T>(
        CommandContext context, IReadOnlyList<T> taken, string[] chosen, bool everything, string noun, Listing listing,
        Func<T, Task> release, Func<T, Task> delete, Func<T, Task<(bool Handled, JsonNode?[] Row)>> replay, Func<T, JsonNode?[]> unreplayable)
        where T : IFailedEvent
    {
        var wanted = new HashSet<string>(chosen, StringComparer.Ordinal);
        string[] missing = chosen.Where(id => taken.All(m => m.MessageId != id)).ToArray();
        int failures = 0;
        foreach (T other in taken.Where(m => !everything && !wanted.Contains(m.MessageId)))
        {
            // Not chosen: back to the queue at once, not hidden for the replay's duration.
            await release(other);
        }

        foreach (T message in taken.Where(m => everything || wanted.Contains(m.MessageId)))
        {
            if (message.Event == null)
            {
                await release(message);
                listing.Add(unreplayable(message));
                failures++;
                continue;
            }

            (bool handled, JsonNode?[] row) = await replay(message);
            if (handled)
            {
                await delete(message);
            }
            else
            {
                await release(message);
                failures++;
            }

            listing.Add(row);
        }

        listing.Write(context.Format, context.Console, context.Output);
        foreach (string id in missing)
        {
            context.Say("no " + noun + " with message id " + id + " (already replayed, or taken by another replay)");
        }

        return failures > 0 || missing.Length > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
