using System;
using System.IO;

namespace KitchenButton.Infrastructure.Tests.Support;

internal static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            DirectoryInfo? dir = new(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "KitchenButton.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("KitchenButton.sln not found");
        }
    }
}
