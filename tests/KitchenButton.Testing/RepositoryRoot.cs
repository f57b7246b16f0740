using System;
using System.IO;

namespace KitchenButton.Testing;

/// <summary>The repository's root, found from any output folder under it (the folder holding KitchenButton.sln).</summary>
public static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "KitchenButton.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("KitchenButton.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
