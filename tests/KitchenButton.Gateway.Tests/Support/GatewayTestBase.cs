using System.Threading.Tasks;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>A test class with its own gateway (fresh tables, its own loopback endpoint) on the shared dynalite.</summary>
[Collection(DynaliteCollection.Name)]
public abstract class GatewayTestBase : IAsyncLifetime
{
    private readonly DynaliteFixture _dynalite;

    protected GatewayTestBase(DynaliteFixture dynalite)
    {
        _dynalite = dynalite;
    }

    protected LocalGateway Gw { get; private set; } = null!;

    /// <summary>The gateway's clock now, as a press timestamp.</summary>
    protected long Now => Gw.Now.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        Gw = await LocalGateway.CreateAsync(_dynalite.Dynalite, time: TestClock.Start());
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        await CleanUpAsync();
        await Gw.DisposeAsync();
    }

    /// <summary>Pairs devices, parks orders: what every test of the class starts from.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>Stops what the class started besides the gateway.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
