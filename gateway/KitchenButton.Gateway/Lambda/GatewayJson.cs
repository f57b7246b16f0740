using System.Text.Json;
using System.Text.Json.Serialization;

namespace KitchenButton.Gateway.Lambda;

/// <summary>JSON settings of the handlers' outputs: camelCase, nulls left out.</summary>
internal static class GatewayJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
