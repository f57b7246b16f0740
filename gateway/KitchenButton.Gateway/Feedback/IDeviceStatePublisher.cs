using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Feedback;

/// <summary>Publishes a device's state message (retained, QoS 1) on cmd/kitchenbutton/{thing}/state.</summary>
public interface IDeviceStatePublisher
{
    Task PublishStateAsync(string thing, string stateJson, CancellationToken cancellationToken);
}
