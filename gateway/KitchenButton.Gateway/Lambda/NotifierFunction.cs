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
    private static readonly Lazy<GatewayComposition> Shared = new(GatewayComposition.FromEnvironment, LazyThreadSafetyMode.ExecutionAndPublication);

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
        GatewayComposition composition = _composition ?? Shared.Value;
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer);
        int published = await composition.Notifier.HandleAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), CancellationToken.None);
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"published\":" + published + "}"));
    }
}
