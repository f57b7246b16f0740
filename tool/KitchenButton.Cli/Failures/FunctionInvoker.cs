using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;

namespace KitchenButton.Cli.Failures;

/// <summary>A function's answer to an invocation: its JSON, or the error it failed with.</summary>
/// <param name="Error">The function's errorType (or "unreadable answer"); null when it answered.</param>
public sealed record FunctionAnswer(string? Error, string? ErrorMessage, byte[] Body)
{
    public bool Failed => Error != null;
}

/// <summary>
/// Invokes one of the stack's functions with Lambda's Invoke API and waits for its answer
/// (POST /2015-03-31/functions/{name}/invocations, RequestResponse), the call AWSSDK.Lambda would
/// make. A function error comes back as an answer whose body names errorType and errorMessage.
/// </summary>
public sealed class FunctionInvoker
{
    private readonly SignedAwsHttpClient _lambda;

    public FunctionInvoker(SignedAwsHttpClient lambda)
    {
        _lambda = lambda;
    }

    public async Task<FunctionAnswer> InvokeAsync(string function, byte[] payload, CancellationToken cancellationToken)
    {
        byte[] answer = await _lambda.SendAsync(HttpMethod.Post, "/2015-03-31/functions/" + Uri.EscapeDataString(function) + "/invocations",
            payload, "application/json", null, new[] { ("X-Amz-Invocation-Type", "RequestResponse") }, cancellationToken);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(answer);
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errorType", out JsonElement errorType))
            {
                string? message = root.TryGetProperty("errorMessage", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return new FunctionAnswer(errorType.ValueKind == JsonValueKind.String ? errorType.GetString() ?? "error" : "error", message, answer);
            }

            return new FunctionAnswer(null, null, answer);
        }
        catch (JsonException)
        {
            return new FunctionAnswer("unreadable answer", Encoding.UTF8.GetString(answer), answer);
        }
    }
}
