using System;
using System.Text;
using System.Text.Json;
using KitchenButton.Cli.Failures;
using KitchenButton.Gateway.Orders;

namespace KitchenButton.Cli.Cleanups;

/// <summary>
/// One ended order whose tickets the clean-up could not withdraw, decoded from the cleanup-failures
/// queue, which holds two shapes: Lambda's failure record once the function failed every attempt
/// (the event in its requestPayload), and EventBridge's dead letter when the event never reached the
/// function (the event itself). Decoding never throws: anything else is kept with
/// <see cref="Problem"/> saying why, and cannot be replayed.
/// </summary>
public sealed record FailedCleanup(string MessageId, string ReceiptHandle, string? Execution, string? Status, string? Stations, string Why, byte[]? Event, string? Problem) : IFailedEvent
{
    public static FailedCleanup Decode(QueuedFailure message)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(message.Body);
            JsonElement root = doc.RootElement;
            if (LambdaFailureRecord.TryRead(root, out JsonElement request, out string why))
            {
                return FromEvent(message, Encoding.UTF8.GetBytes(request.GetRawText()), why);
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail-type", out _)
                ? FromEvent(message, Encoding.UTF8.GetBytes(message.Body), "EventBridge could not hand the event to the function")
                : Unreadable(message, "neither a Lambda failure record nor an EventBridge event");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return Unreadable(message, "unreadable message: " + e.Message);
        }
    }

    private static FailedCleanup FromEvent(QueuedFailure message, byte[] ended, string why)
    {
        EndedExecution? execution = EndedExecution.Parse(ended, out string? problem);
        return execution == null
            ? new FailedCleanup(message.MessageId, message.ReceiptHandle, null, null, null, why, null, problem)
            : new FailedCleanup(message.MessageId, message.ReceiptHandle, execution.ExecutionArn, execution.Status, string.Join(",", execution.Stations), why, ended, null);
    }

    private static FailedCleanup Unreadable(QueuedFailure message, string problem) =>
        new(message.MessageId, message.ReceiptHandle, null, null, null, problem, null, problem);
}
