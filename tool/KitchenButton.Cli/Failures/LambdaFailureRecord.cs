using System.Text.Json;

namespace KitchenButton.Cli.Failures;

/// <summary>
/// The record Lambda sends to a function's on-failure destination once an asynchronous invocation
/// has used its retries (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
/// requestContext.condition and approximateInvokeCount, requestPayload (the event as it came),
/// responsePayload.errorType and errorMessage.
/// </summary>
public static class LambdaFailureRecord
{
    /// <summary>Whether <paramref name="root"/> is such a record: its event, and why it failed in one line.</summary>
    public static bool TryRead(JsonElement root, out JsonElement requestPayload, out string why)
    {
        why = string.Empty;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requestPayload", out requestPayload) || requestPayload.ValueKind != JsonValueKind.Object)
        {
            requestPayload = default;
            return false;
        }

        string condition = root.TryGetProperty("requestContext", out JsonElement context) && context.ValueKind == JsonValueKind.Object
            && Text(context, "condition") is { } c ? c : "failed";
        int? attempts = context.ValueKind == JsonValueKind.Object && context.TryGetProperty("approximateInvokeCount", out JsonElement n)
            && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out int count) ? count : null;
        string? error = null;
        if (root.TryGetProperty("responsePayload", out JsonElement response) && response.ValueKind == JsonValueKind.Object)
        {
            string? type = Text(response, "errorType");
            string? message = Text(response, "errorMessage");
            error = type == null ? message : message == null ? type : type + ": " + message;
        }

        why = condition + (attempts is int a ? " after " + a + " attempts" : string.Empty) + (error == null ? string.Empty : " - " + error);
        return true;
    }

    /// <summary>A string member; null when absent, not a string, or not text (a lone surrogate): the why is best effort, the event still replays.</summary>
    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (System.InvalidOperationException)
        {
            return null;
        }
    }
}
