using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// The pending-count notifier, on the pending-task table's stream. Handler string:
/// <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.NotifierFunction::HandleAsync</c>.
/// </summary>
public sealed class NotifierFunction
{
    private readonly GatewayComposition? _composition;

    public NotifierFunction()
    {
    }

    public NotifierFunction(GatewayComposition composition)
    {
        _composition = composition;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        GatewayComposition composition = _composition ?? FunctionInput.SharedComposition.Value;
        using Observability.InvocationScope invocation = composition.Telemetry.BeginInvocation();
        ReadOnlyMemory<byte> request = await FunctionInput.ReadAsync(input);
        int published = await composition.Notifier.HandleAsync(request, CancellationToken.None);
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"published\":" + published + "}"));
    }
}
