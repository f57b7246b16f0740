using System.IO;
using KitchenButton.Testing;

namespace KitchenButton.Device.Tests.Support;

/// <summary>The repository's files the device tests read.</summary>
internal static class RepositoryPaths
{
    public static string PressVectors => Path.Combine(RepositoryRoot.Path, "tests", "vectors", "press-v1.json");
}
