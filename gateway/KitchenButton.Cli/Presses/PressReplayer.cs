using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;

namespace KitchenButton.Cli.Presses;

/// <summary>What a replayed press came to: the press handler's answer, or its error.</summary>
public sealed record ReplayResult(bool Handled, string Result, string? Detail);

/// <summary>
/// Sends a failed press's event to the press handler again with Lambda's Invoke API
/// (POST /2015-03-31/functions/{name}/invocations, RequestResponse), the call AWSSDK.Lambda would
/// make. Safe to repeat: the press ledger answers a press it finished with its first result.
/// </summary>
public sealed class PressReplayer
{
    private readonly SignedAwsHttpClient _lambda;
    private readonly string _function;

    public PressReplayer(SignedAwsHttpClient lambda, string function)
    {
        _lambda = lambda;
        _function = function;
    }

    public async Task<ReplayResult> ReplayAsync(byte[] pressEvent, CancellationToken cancellationToken)
    {
        byte[] answer = await _lambda.SendAsync(HttpMethod.Post, "/2015-03-31/functions/" + Uri.EscapeDataString(_function) + "/invocations",
            pressEvent, "application/json", null, new[] { ("X-Amz-Invocation-Type", "RequestResponse") }, cancellationToken);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(answer);
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errorType", out JsonElement errorType))
            {
                string? message = root.TryGetProperty("errorMessage", out JsonElement m) ? m.GetString() : null;
                return new ReplayResult(false, errorType.GetString() ?? "error", message);
            }

            string result = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement r) ? r.ToString() : "answered";
            string? detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reason", out JsonElement reason) ? reason.ToString()
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("orderId", out JsonElement order) ? "order " + order.GetString() : null;
            return new ReplayResult(true, result, detail);
        }
        catch (JsonException)
        {
            return new ReplayResult(false, "unreadable answer", Encoding.UTF8.GetString(answer));
        }
    }
}
