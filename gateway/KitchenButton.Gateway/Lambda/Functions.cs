using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Processing;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// The gateway's Lambda entry points, one method per function, all shaped alike: take the event as a
/// Stream, run inside one telemetry invocation (its metrics leave as one EMF document), return JSON.
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
    public Task<Stream> PressAsync(Stream input) => InvokeAsync(input, async (gateway, request) =>
    {
        PressOutcome outcome = await gateway.Processor.ProcessAsync(request, CancellationToken.None);
        return JsonSerializer.SerializeToUtf8Bytes(outcome, GatewayJson.Default.PressOutcome);
    });

    /// <summary>The pending-count notifier, on the pending-tasks table's stream: how many state messages went out.</summary>
    public Task<Stream> NotifierAsync(Stream input) => InvokeAsync(input, async (gateway, request) =>
        Json("published", await gateway.Notifier.HandleAsync(request, CancellationToken.None)));

    /// <summary>The status recorder, behind the status topic rule: whether the report was recorded.</summary>
    public Task<Stream> StatusAsync(Stream input) => InvokeAsync(input, async (gateway, request) =>
        Json("recorded", await gateway.Health.RecordAsync(request, CancellationToken.None)));

    /// <summary>The silent-button sweep, on a schedule: the things that stopped reporting.</summary>
    public Task<Stream> SilentButtonSweepAsync(Stream input) => InvokeAsync(input, async (gateway, _) =>
        Json("silent", await gateway.Health.FindSilentAsync(gateway.SilenceAfter, CancellationToken.None)));

    /// <summary>The order clean-up, on Step Functions' status-change events: how many tickets were withdrawn.</summary>
    public Task<Stream> OrderCleanupAsync(Stream input) => InvokeAsync(input, async (gateway, request) =>
        Json("withdrawn", await gateway.Cleanup.HandleAsync(request, CancellationToken.None)));

    private async Task<Stream> InvokeAsync(Stream input, Func<GatewayComposition, ReadOnlyMemory<byte>, Task<byte[]>> handle)
    {
        GatewayComposition gateway = _composition ?? FunctionInput.SharedComposition.Value;
        using InvocationScope invocation = gateway.Telemetry.BeginInvocation();
        ReadOnlyMemory<byte> request = await FunctionInput.ReadAsync(input);
        return new MemoryStream(await handle(gateway, request));
    }

    private static byte[] Json(string name, int value) => Write(json => json.WriteNumber(name, value));

    private static byte[] Json(string name, bool value) => Write(json => json.WriteBoolean(name, value));

    private static byte[] Json(string name, IReadOnlyList<string> values) => Write(json =>
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    });

    private static byte[] Write(Action<Utf8JsonWriter> field)
    {
        using var buffer = new MemoryStream(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            field(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
