using System.Threading.Tasks;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Cli.Tests.Support;

/// <summary>One dynalite for the CLI tests; each test gets its own environment (its own tables) on it.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public DynaliteProcess Dynalite { get; private set; } = null!;

    public async Task InitializeAsync() => Dynalite = await DynaliteProcess.StartAsync();

    public async Task DisposeAsync() => await Dynalite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalStackCollection : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "local stack";
}
