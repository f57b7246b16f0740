using System;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// The account's IoT data-ATS endpoint: given, or looked up with <c>iot:DescribeEndpoint</c> once per
/// execution environment. Looking it up here is what lets the stack deploy without a CloudFormation
/// custom resource (whose CDK-provided function would need a Node.js runtime Lambda may refuse). A
/// failed lookup is not cached: the invocation fails, is retried, and the next one tries again.
/// </summary>
public sealed class IotDataEndpoint
{
    private readonly IotEndpointClient? _controlPlane;
    private readonly string _scheme;
    private readonly object _lock = new();
    private Task<Uri>? _lookup;

    private IotDataEndpoint(Uri? known, IotEndpointClient? controlPlane, string scheme)
    {
        _scheme = scheme;
        if (known != null)
        {
            _lookup = Task.FromResult(known);
        }

        _controlPlane = controlPlane;
    }

    public static IotDataEndpoint Known(Uri endpoint) => new(endpoint, null, endpoint.Scheme);

    /// <param name="controlPlane">Where DescribeEndpoint is asked.</param>
    /// <param name="scheme">The data endpoint's scheme: https in AWS; the control plane's own on a loopback stand-in.</param>
    public static IotDataEndpoint LookedUp(IotEndpointClient controlPlane, string scheme) => new(null, controlPlane, scheme);

    public Task<Uri> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_lookup == null || _lookup.IsFaulted || _lookup.IsCanceled)
            {
                _lookup = LookUpAsync(cancellationToken);
            }

            return _lookup;
        }
    }

    private async Task<Uri> LookUpAsync(CancellationToken cancellationToken)
    {
        string host = await _controlPlane!.DescribeDataEndpointAsync(cancellationToken);
        return new Uri(_scheme + "://" + host);
    }
}
