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

    private readonly IotDataEndpoint _endpoint;
    private readonly Func<Uri, SignedAwsHttpClient> _clientFor;
    private SignedAwsHttpClient? _client;

    /// <param name="endpoint">The data endpoint, given or looked up on first use.</param>
    /// <param name="clientFor">The signed client for an endpoint, made once it is known.</param>
    public IotDataStatePublisher(IotDataEndpoint endpoint, Func<Uri, SignedAwsHttpClient> clientFor)
    {
        _endpoint = endpoint;
        _clientFor = clientFor;
    }

    public Task PublishStateAsync(string thing, string stateJson, CancellationToken cancellationToken) =>
        PublishRetainedAsync(thing, Encoding.UTF8.GetBytes(stateJson), cancellationToken);

    /// <summary>
    /// Deletes the thing's retained state message: IoT deletes a topic's retained message when an
    /// empty payload is published retained to it. A forgotten button leaves none behind.
    /// </summary>
    public Task ClearStateAsync(string thing, CancellationToken cancellationToken) =>
        PublishRetainedAsync(thing, Array.Empty<byte>(), cancellationToken);

    private async Task PublishRetainedAsync(string thing, byte[] payload, CancellationToken cancellationToken)
    {
        SignedAwsHttpClient client = _client ??= _clientFor(await _endpoint.GetAsync(cancellationToken));

        // The topic is a single URI label: its slashes are percent-encoded. A retained publish needs
        // iot:RetainPublish as well as iot:Publish (the stack grants both).
        string path = "/topics/" + Uri.EscapeDataString(StateMessage.Topic(thing)) + "?qos=1&retain=true";
        await client.SendAsync(HttpMethod.Post, path, payload, "application/octet-stream", null, cancellationToken);
    }
}
