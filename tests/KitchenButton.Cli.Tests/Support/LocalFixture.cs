using System.Threading.Tasks;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Cli.Tests.Support;

/// <summary>One dynalite for the CLI tests; each test gets its own environment (its own tables) on it.</summary>
public sealed class LocalFixture : IAsyncLifetime
{
    public DynaliteProcess Dynalite { get; private set; } = null!;

    public async Task InitializeAsync() => Dynalite = await DynaliteProcess.StartAsync();

    public async Task DisposeAsync() => await Dynalite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalCollection : ICollectionFixture<LocalFixture>
{
    public const string Name = "local stack";
}
