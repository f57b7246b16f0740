using System;
using System.IO;

namespace KitchenButton.Device.Tests.Support;

/// <summary>Finds files of the repository from a test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "KitchenButton.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("KitchenButton.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string PressVectors => Path.Combine(Root, "tests", "vectors", "press-v1.json");
}
