using System;
using System.IO;

namespace KitchenButton.LocalAws;

/// <summary>Finds the repository's files and the local stack's npm parts from any output folder under it.</summary>
public static class RepositoryPaths
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

    /// <summary>local/node: dynalite and jsonata, installed by the build of KitchenButton.LocalAws.</summary>
    public static string NodeTools
    {
        get
        {
            string dir = Path.Combine(Root, "local", "node");
            if (!Directory.Exists(Path.Combine(dir, "node_modules")))
            {
                throw new InvalidOperationException("local/node/node_modules is missing: build KitchenButton.LocalAws, or run 'npm ci --prefix local/node'");
            }

            return dir;
        }
    }
}
