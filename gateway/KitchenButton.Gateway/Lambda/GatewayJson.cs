using System.Text.Json.Serialization;
using KitchenButton.Gateway.Processing;

namespace KitchenButton.Gateway.Lambda;

/// <summary>
/// The handlers' JSON outputs, source-generated (no reflection, so it survives trimming): camelCase,
/// nulls left out.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PressOutcome))]
internal sealed partial class GatewayJson : JsonSerializerContext
{
}
