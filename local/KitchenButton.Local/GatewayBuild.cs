using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.LocalAws;

namespace KitchenButton.Local;

/// <summary>
/// The artifact the stack deploys, built for this machine: the gateway's Native AOT bootstrap,
/// published into artifacts/local-bootstrap (an up-to-date publish is quick). The stack ships the
/// arm64 build of the same project; on an x64 machine that one runs only under emulation (its start
/// and first press took about 2 s against 0.1 s natively), so the rush runs this one, and a test
/// answers a press through the arm64 one (AotBootstrapTests).
/// </summary>
public static class GatewayBuild
{
    public static string Folder => LocalBootstrap.SharedFolder;

    /// <summary>The bootstrap's path; throws with the publish log when it cannot be built.</summary>
    public static async Task<string> PublishAsync(TextWriter log)
    {
        log.WriteLine("publishing the gateway's Native AOT bootstrap (what the stack deploys, for " + LocalBootstrap.RuntimeIdentifier + ") into " + Folder + " ...");
        var watch = Stopwatch.StartNew();
        (string? binary, string output) = await LocalBootstrap.PublishSharedAsync();
        if (binary == null)
        {
            // Native AOT links with the platform's clang and zlib: the commonest reason on a new machine.
            throw new InvalidOperationException("the bootstrap did not publish (Native AOT needs clang and zlib1g-dev: `sudo tests/prerequisites install aot`;"
                + " or run the gateway in the stack's own process with `-- --in-process`):" + Environment.NewLine + output);
        }

        log.WriteLine("published in " + watch.Elapsed.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " s");
        return binary;
    }
}
