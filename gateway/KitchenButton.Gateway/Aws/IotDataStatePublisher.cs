using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Feedback;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// The IoT data plane's Publish over restJson1 (POST /topics/{topic}?qos=1&amp;retain=true), signed
/// for "iotdata" against the account's data endpoint. Stands in for AWSSDK.IotData.
/// </summary>
public sealed class IotDataStatePublisher : IDeviceStatePublisher
{
    public const string SigningService = "iotdata";

    private readonly SignedAwsHttpClient _client;

    public IotDataStatePublisher(SignedAwsHttpClient client)
    {
        _client = client;
    }

    public async Task PublishStateAsync(string thing, string stateJson, CancellationToken cancellationToken)
    {
        // The topic is a single URI label: its slashes are percent-encoded.
        string path = "/topics/" + Uri.EscapeDataString(StateMessage.Topic(thing)) + "?qos=1&retain=true";
        await _client.SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(stateJson), "application/octet-stream", null, cancellationToken);
    }
}
