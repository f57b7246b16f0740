using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// Finds buttons that stopped reporting, on a schedule. Handler string:
/// <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.SilentButtonSweepFunction::HandleAsync</c>.
/// </summary>
public sealed class SilentButtonSweepFunction
{
    private readonly GatewayComposition? _composition;

    public SilentButtonSweepFunction()
    {
    }

    public SilentButtonSweepFunction(GatewayComposition composition)
    {
        _composition = composition;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        GatewayComposition composition = _composition ?? FunctionInput.SharedComposition.Value;
        using Observability.InvocationScope invocation = composition.Telemetry.BeginInvocation();
        var silent = await composition.Health.FindSilentAsync(composition.SilenceAfter, CancellationToken.None);
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new { silent }));
    }
}
