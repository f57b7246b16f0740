using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// Withdraws an ended execution's tickets, on EventBridge's Step Functions status-change events.
/// Handler string: <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.OrderCleanupFunction::HandleAsync</c>.
/// </summary>
public sealed class OrderCleanupFunction
{
    private readonly GatewayComposition? _composition;

    public OrderCleanupFunction()
    {
    }

    public OrderCleanupFunction(GatewayComposition composition)
    {
        _composition = composition;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        GatewayComposition composition = _composition ?? FunctionInput.SharedComposition.Value;
        using Observability.InvocationScope invocation = composition.Telemetry.BeginInvocation();
        int withdrawn = await composition.Cleanup.HandleAsync(await FunctionInput.ReadAsync(input), CancellationToken.None);
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"withdrawn\":" + withdrawn + "}"));
    }
}
