using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// AWS IoT's DescribeEndpoint (restJson1 GET /endpoint?endpointType=iot:Data-ATS, signed for "iot"):
/// the account's data endpoint, which the gateway publishes state messages to and the operators' tool
/// writes into each board's configuration. Stands in for AWSSDK.IoT, which is not available here.
/// </summary>
public sealed class IotEndpointClient
{
    public const string SigningService = "iot";

    private readonly SignedAwsHttpClient _client;

    public IotEndpointClient(SignedAwsHttpClient client)
    {
        _client = client;
    }

    /// <summary>The IoT control plane of a region.</summary>
    public static Uri Endpoint(string region) => new("https://iot." + region + ".amazonaws.com");

    /// <summary>The host name of the account's iot:Data-ATS endpoint.</summary>
    public async Task<string> DescribeDataEndpointAsync(CancellationToken cancellationToken)
    {
        byte[] answer = await _client.SendAsync(HttpMethod.Get, "/endpoint?endpointType=iot%3AData-ATS", Array.Empty<byte>(), "application/json", null, cancellationToken);
        using JsonDocument doc = JsonDocument.Parse(answer);
        return doc.RootElement.GetProperty("endpointAddress").GetString()!;
    }
}
