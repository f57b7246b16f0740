using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using KitchenButton.Cli.Cleanups;
using KitchenButton.Cli.Failures;
using KitchenButton.Cli.Output;

namespace KitchenButton.Cli.Commands;

/// <summary>`cleanups failed|replay`: ended orders whose tickets were not withdrawn, and withdrawing them.</summary>
public static class CleanupCommands
{
    public static Command Create(VerbRunner runner)
    {
        var cleanups = new Command("cleanups", "Clean-ups that failed: ended orders whose tickets the order clean-up could not withdraw.");

        var failed = new Command("failed", "Lists failed clean-ups, decoded: which execution, how it ended, its stations, why.");
        failed.SetAction(runner.Action(async (context, parsed, ct) =>
        {
            var listing = new Listing("message", "execution", "status", "stations", "why", "replayable");
            foreach (QueuedFailure message in await Queue(context).ReceiveAsync(TimeSpan.Zero, ct))
            {
                FailedCleanup c = FailedCleanup.Decode(message);
                listing.Add(c.MessageId, c.Execution, c.Status, c.Stations, c.Why, c.Event != null);
            }

            listing.Write(context.Format, context.Console, context.Output);
            return ExitCodes.Ok;
        }));

        var replay = FailureReplay.Verb(runner, "Sends failed clean-ups to the order clean-up again; withdrawing twice withdraws nothing more.", "cleanups failed", "failed clean-up", async (context, chosen, everything, ct) =>
        {
            FailureQueue queue = Queue(context);
            var invoker = new FunctionInvoker(context.Session.Lambda);
            var taken = new List<FailedCleanup>();
            foreach (QueuedFailure message in await queue.ReceiveAsync(FailureReplay.HideWhileReplaying, ct))
            {
                taken.Add(FailedCleanup.Decode(message));
            }

            return await FailureReplay.RunAsync(context, taken, chosen, everything, "failed clean-up", new Listing("message", "execution", "result", "detail"),
                c => queue.ReleaseAsync(c.ReceiptHandle, ct),
                c => queue.DeleteAsync(c.ReceiptHandle, ct),
                async c =>
                {
                    FunctionAnswer answer = await invoker.InvokeAsync(context.Session.Names.CleanupFunction, c.Event!, ct);
                    return (!answer.Failed, new JsonNode?[] { c.MessageId, c.Execution, answer.Failed ? answer.Error : Withdrawn(answer.Body), answer.ErrorMessage });
                },
                c => new JsonNode?[] { c.MessageId, c.Execution, "not replayable", c.Problem });
        });

        cleanups.Subcommands.Add(failed);
        cleanups.Subcommands.Add(replay);
        return cleanups;
    }

    /// <summary>The clean-up's answer, {"withdrawn":N}, as "withdrawn N".</summary>
    private static string Withdrawn(byte[] answer)
    {
        using JsonDocument doc = JsonDocument.Parse(answer);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("withdrawn", out JsonElement n)
            ? "withdrawn " + n.GetRawText()
            : "answered " + doc.RootElement.GetRawText();
    }

    private static FailureQueue Queue(CommandContext context) => new(context.Session.Sqs, context.Session.Names.CleanupFailuresQueue, context.Session.Names.Environment);
}
