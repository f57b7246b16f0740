using System.Threading.Tasks;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>One dynalite for the whole test run; each test makes its own tables.</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    public DynaliteProcess Dynalite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dynalite = await DynaliteProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Dynalite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}
