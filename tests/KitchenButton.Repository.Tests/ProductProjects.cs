using System.Collections.Generic;
using System.IO;
using System.Linq;
using KitchenButton.Testing;

namespace KitchenButton.Repository.Tests;

/// <summary>The folders that ship: everything a product project may live in.</summary>
internal static class ProductProjects
{
    public static readonly string[] Folders = { "firmware", "gateway", "tool", "local" };

    /// <summary>Every project file under the product folders, relative to the repository.</summary>
    public static IEnumerable<string> All() =>
        Folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.*proj", SearchOption.AllDirectories))
            .Where(path => !path.Contains("node_modules") && !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))
            .OrderBy(path => path);
}
