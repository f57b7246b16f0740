using System.Net.Http;
using Amazon.Runtime;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// Hands the AWS SDK's clients an HttpClient over a given handler, so every AWS call of the gateway
/// (the SDK's and our own small clients') goes through one pipeline: the local stack and the bench
/// use it to count calls per press.
/// </summary>
public sealed class HandlerHttpClientFactory : HttpClientFactory
{
    private readonly HttpMessageHandler _handler;

    public HandlerHttpClientFactory(HttpMessageHandler handler)
    {
        _handler = handler;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(_handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
