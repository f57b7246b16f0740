using Xunit;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>One synthesised default stack shared by every test class that only reads it.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
