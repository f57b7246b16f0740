using System;
using System.IO;

namespace KitchenButton.LocalAws;

/// <summary>Finds the repository's files and its node tools from a test's output folder.</summary>
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

    public static string NodeTools
    {
        get
        {
            string dir = Path.Combine(Root, "tests", "node");
            if (!Directory.Exists(Path.Combine(dir, "node_modules")))
            {
                throw new InvalidOperationException("tests/node/node_modules is missing: run 'npm ci --prefix tests/node' (.ci/run does)");
            }

            return dir;
        }
    }
}
