using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// Records button health reports, invoked by the status topic rule. Handler string:
/// <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.StatusFunction::HandleAsync</c>.
/// </summary>
public sealed class StatusFunction
{
    private readonly GatewayComposition? _composition;

    public StatusFunction()
    {
    }

    public StatusFunction(GatewayComposition composition)
    {
        _composition = composition;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        GatewayComposition composition = _composition ?? FunctionInput.SharedComposition.Value;
        using Observability.InvocationScope invocation = composition.Telemetry.BeginInvocation();
        bool recorded = await composition.Health.RecordAsync(await FunctionInput.ReadAsync(input), CancellationToken.None);
        return new MemoryStream(Encoding.UTF8.GetBytes(recorded ? "{\"recorded\":true}" : "{\"recorded\":false}"));
    }
}
