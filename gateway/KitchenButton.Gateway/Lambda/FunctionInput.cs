using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda;

/// <summary>What every entry point shares: one composition per execution environment, and reading the event.</summary>
internal static class FunctionInput
{
    /// <summary>Built on first use, from the environment, and kept for the life of the execution environment.</summary>
    public static readonly Lazy<GatewayComposition> SharedComposition = new(GatewayComposition.FromEnvironment, LazyThreadSafetyMode.ExecutionAndPublication);

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream input)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
