using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Failures;

namespace KitchenButton.Cli.Presses;

/// <summary>What a replayed press came to: the press handler's answer, or its error.</summary>
public sealed record ReplayResult(bool Handled, string Result, string? Detail);

/// <summary>
/// Sends a failed press's event to the press handler again. Safe to repeat: the press ledger
/// answers a press it finished with its first result.
/// </summary>
public sealed class PressReplayer
{
    private readonly FunctionInvoker _invoker;
    private readonly string _function;

    public PressReplayer(FunctionInvoker invoker, string function)
    {
        _invoker = invoker;
        _function = function;
    }

    public async Task<ReplayResult> ReplayAsync(byte[] pressEvent, CancellationToken cancellationToken)
    {
        FunctionAnswer answer = await _invoker.InvokeAsync(_function, pressEvent, cancellationToken);
        if (answer.Failed)
        {
            return new ReplayResult(false, answer.Error!, answer.ErrorMessage);
        }

        using JsonDocument doc = JsonDocument.Parse(answer.Body);
        JsonElement root = doc.RootElement;
        string result = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement r) ? r.ToString() : "answered";
        string? detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reason", out JsonElement reason) ? reason.ToString()
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("orderId", out JsonElement order) ? "order " + order.GetString() : null;
        return new ReplayResult(true, result, detail);
    }
}
