using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Callbacks;

/// <summary>
/// Step Functions' callback API, the three operations the gateway needs. Implementations throw
/// <see cref="TaskCallbackException"/> with a classified error.
/// </summary>
public interface ITaskCallbacks
{
    Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken);

    Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken);

    Task SendTaskHeartbeatAsync(string taskToken, CancellationToken cancellationToken);
}
