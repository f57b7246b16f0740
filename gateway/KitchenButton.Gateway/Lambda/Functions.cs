using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Processing;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// The gateway's Lambda entry points, one method per function, all shaped alike: take the event as a
/// Stream (managed runtime) or bytes with the invocation's deadline (custom runtime,
/// <see cref="Runtime.LambdaRuntimeLoop"/>), run inside one telemetry invocation (its metrics leave as
/// one EMF document), return JSON.
/// Handler strings: <c>KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::{Method}</c>.
/// A handler throws only to have the invocation retried.
/// </summary>
public sealed class Functions
{
    private readonly GatewayComposition? _composition;

    /// <summary>Used by the Lambda runtime: one composition per execution environment, built on first use.</summary>
    public Functions()
    {
    }

    public Functions(GatewayComposition composition)
    {
        _composition = composition;
    }

    /// <summary>The press handler, behind the press topic rule: the press's outcome.</summary>
    public Task<Stream> PressAsync(Stream input) => StreamAsync(input, nameof(PressAsync));

    /// <summary>The notifier, on the pending-tasks table's stream: how many state messages went out.</summary>
    public Task<Stream> NotifierAsync(Stream input) => StreamAsync(input, nameof(NotifierAsync));

    /// <summary>The status recorder, behind the status topic rule: whether the report was recorded.</summary>
    public Task<Stream> StatusAsync(Stream input) => StreamAsync(input, nameof(StatusAsync));

    /// <summary>The silent-button sweep, on a schedule: the things that stopped reporting.</summary>
    public Task<Stream> SilentButtonSweepAsync(Stream input) => StreamAsync(input, nameof(SilentButtonSweepAsync));

    /// <summary>The order clean-up, on Step Functions' status-change events: how many tickets were withdrawn.</summary>
    public Task<Stream> OrderCleanupAsync(Stream input) => StreamAsync(input, nameof(OrderCleanupAsync));

    /// <summary>
    /// The entry point a function's handler setting names: a method of this class, alone or as
    /// <c>Assembly::Type::Method</c>. Throws for anything else.
    /// </summary>
    public static string Resolve(string? handler)
    {
        string method = handler == null ? string.Empty : handler[(handler.LastIndexOf("::", StringComparison.Ordinal) + 1)..].TrimStart(':');
        return method switch
        {
            nameof(PressAsync) or nameof(NotifierAsync) or nameof(StatusAsync) or nameof(SilentButtonSweepAsync) or nameof(OrderCleanupAsync) => method,
            _ => throw new ArgumentException("handler '" + handler + "' names no entry point of " + typeof(Functions).FullName),
        };
    }

    /// <summary>
    /// Runs one entry point in one telemetry invocation: the event as bytes, the result as JSON bytes.
    /// <paramref name="deadline"/> is the invocation's (the custom runtime has it from the Runtime
    /// API); without one the press handler works to its configured invocation time.
    /// </summary>
    public async Task<byte[]> InvokeAsync(string method, ReadOnlyMemory<byte> request, DateTimeOffset? deadline)
    {
        GatewayComposition gateway = _composition ?? FunctionInput.SharedComposition.Value;
        using InvocationScope invocation = gateway.Telemetry.BeginInvocation();
        switch (method)
        {
            case nameof(PressAsync):
                PressOutcome outcome = deadline is DateTimeOffset d
                    ? await gateway.Processor.ProcessAsync(request, d, CancellationToken.None)
                    : await gateway.Processor.ProcessAsync(request, CancellationToken.None);
                return JsonSerializer.SerializeToUtf8Bytes(outcome, GatewayJson.Default.PressOutcome);
            case nameof(NotifierAsync):
                return Json("published", await gateway.Notifier.HandleAsync(request, CancellationToken.None));
            case nameof(StatusAsync):
                return Json("recorded", await gateway.Health.RecordAsync(request, CancellationToken.None));
            case nameof(SilentButtonSweepAsync):
                return Json("silent", await gateway.Health.FindSilentAsync(gateway.SilenceAfter, CancellationToken.None));
            case nameof(OrderCleanupAsync):
                return Json("withdrawn", await gateway.Cleanup.HandleAsync(request, CancellationToken.None));
            default:
                throw new ArgumentException("no entry point " + method);
        }
    }

    private async Task<Stream> StreamAsync(Stream input, string method) =>
        new MemoryStream(await InvokeAsync(method, await FunctionInput.ReadAsync(input), deadline: null));

    private static byte[] Json(string name, int value) => JsonBody.Write(json => json.WriteNumber(name, value));

    private static byte[] Json(string name, bool value) => JsonBody.Write(json => json.WriteBoolean(name, value));

    private static byte[] Json(string name, IReadOnlyList<string> values) => JsonBody.Write(json =>
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    });
}
