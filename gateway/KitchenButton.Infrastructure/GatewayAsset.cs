using System;
using System.IO;

namespace KitchenButton.Infrastructure;

/// <summary>
/// Checks the published gateway before the app synthesizes: present, and for the AOT build a bootstrap
/// for the processor the functions are given. Lambda would take a bootstrap for the other one and
/// then fail every invocation (exec format error), so the mismatch is refused here, with the fix.
/// </summary>
public static class GatewayAsset
{
    /// <summary>What is wrong with the asset at the settings' path, or null when it can be deployed.</summary>
    public static string? Problem(StackSettings settings)
    {
        string folder = Path.GetFullPath(settings.GatewayAssetPath);
        if (!Directory.Exists(folder))
        {
            return "The published gateway is not at '" + folder + "'. From the repository root run: " + settings.PublishCommand;
        }

        if (settings.Runtime != GatewayRuntime.Aot)
        {
            return null;
        }

        string bootstrap = Path.Combine(folder, "bootstrap");
        ushort? machine = ElfMachine(bootstrap);
        if (machine == null)
        {
            return "'" + bootstrap + "' is not a Linux executable (the AOT build's bootstrap). From the repository root run: " + settings.PublishCommand;
        }

        GatewayArchitecture? built = GatewayArchitectureExtensions.FromElfMachine(machine.Value);
        if (built != settings.Architecture)
        {
            string mismatch = "'" + bootstrap + "' is built for " + (built?.Name() ?? "ELF machine " + machine) + " but the functions run on "
                + settings.Architecture.Name() + ". Publish for " + settings.Architecture.Name() + " from the repository root: " + settings.PublishCommand;
            return built == null ? mismatch : mismatch + "; or deploy it as it is with -c " + StackSettings.GatewayArchitectureKey + "=" + built.Value.Name();
        }

        return null;
    }

    /// <summary>e_machine of a 64-bit little-endian ELF file, or null when the file is missing or not one.</summary>
    private static ushort? ElfMachine(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        Span<byte> header = stackalloc byte[20];
        using FileStream file = File.OpenRead(path);
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F'
            || header[4] != 2 || header[5] != 1)
        {
            return null;
        }

        return (ushort)(header[18] | (header[19] << 8));
    }
}
