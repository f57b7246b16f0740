using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Processing;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// The press handler, invoked by the IoT topic rule. Handler string:
/// <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.PressFunction::HandleAsync</c>.
/// Takes the rule's event as a Stream and returns the outcome as JSON; throws only to have the
/// invocation retried (the press is then resumed, never applied twice).
/// </summary>
public sealed class PressFunction
{
    private readonly GatewayComposition? _composition;

    /// <summary>Used by the Lambda runtime: one composition per execution environment.</summary>
    public PressFunction()
    {
    }

    public PressFunction(GatewayComposition composition)
    {
        _composition = composition;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        GatewayComposition composition = _composition ?? FunctionInput.SharedComposition.Value;
        using Observability.InvocationScope invocation = composition.Telemetry.BeginInvocation();
        ReadOnlyMemory<byte> request = await FunctionInput.ReadAsync(input);
        PressOutcome outcome = await composition.Processor.ProcessAsync(request, CancellationToken.None);
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(outcome, GatewayJson.Options));
    }
}
