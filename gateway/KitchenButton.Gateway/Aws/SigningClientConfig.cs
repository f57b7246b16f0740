using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// The minimum client configuration AWSSDK.Core's SigV4 signer asks for, for a service whose own SDK
/// package is not used (Step Functions, IoT data plane).
/// </summary>
internal sealed class SigningClientConfig : ClientConfig
{
    public SigningClientConfig(string signingService, string region)
        : base(new DefaultConfigurationProvider(new IDefaultConfiguration[] { new DefaultConfiguration { Name = DefaultConfigurationMode.Standard } }))
    {
        AuthenticationServiceName = signingService;
        AuthenticationRegion = region;
    }

    public override string ServiceVersion => "kitchenbutton";

    public override string UserAgent => "kitchenbutton-gateway";

    public override string RegionEndpointServiceName => AuthenticationServiceName;

    /// <summary>Endpoints are resolved by the clients themselves; the signer never asks.</summary>
    public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters)
    {
        throw new System.NotSupportedException("endpoints are resolved by the KitchenButton clients");
    }
}
