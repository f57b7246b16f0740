using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
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
