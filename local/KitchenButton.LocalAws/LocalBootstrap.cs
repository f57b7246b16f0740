using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;

namespace KitchenButton.LocalAws;

/// <summary>
/// The gateway's custom-runtime bootstrap as Lambda would run it here: published (Native AOT unless
/// other flags say otherwise) and started with the stack's environment against the local parts.
/// </summary>
public static class LocalBootstrap
{
    /// <summary>The runtime identifier of what Lambda runs on Graviton, the stack's default architecture.</summary>
    public const string Arm64 = "linux-arm64";

    /// <summary>This machine's runtime identifier: what a bootstrap published here runs on.</summary>
    public static string RuntimeIdentifier => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? Arm64 : "linux-x64";

    /// <summary>Where the Native AOT bootstrap is published for the local stack, its tests and the bench: artifacts/local-bootstrap.</summary>
    public static string SharedFolder => SharedFolderFor(RuntimeIdentifier);

    /// <summary>artifacts/local-bootstrap for this machine's own architecture, artifacts/local-bootstrap-RID for another.</summary>
    public static string SharedFolderFor(string runtimeIdentifier) =>
        Path.Combine(RepositoryPaths.Root, "artifacts", runtimeIdentifier == RuntimeIdentifier ? "local-bootstrap" : "local-bootstrap-" + runtimeIdentifier);

    /// <summary>
    /// Publishes the Native AOT bootstrap into <see cref="SharedFolderFor"/> its runtime identifier (this
    /// machine's unless given), one publish at a time across processes (test assemblies run in parallel
    /// and would otherwise build the same project at once); a publish with nothing changed takes seconds.
    /// </summary>
    public static async Task<(string? Binary, string Log)> PublishSharedAsync(string? runtimeIdentifier = null)
    {
        string rid = runtimeIdentifier ?? RuntimeIdentifier;
        string artifacts = Path.GetDirectoryName(SharedFolderFor(rid))!;
        Directory.CreateDirectory(artifacts);
        using FileStream gate = await LockAsync(Path.Combine(artifacts, ".local-bootstrap.lock"));
        return await PublishAsync(SharedFolderFor(rid), runtimeIdentifier: rid);
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock between .NET processes on Linux too.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// Publishes the bootstrap into <paramref name="output"/> for <paramref name="runtimeIdentifier"/>
    /// (this machine's unless given; linux-arm64 from an x64 machine cross-links, see the project); the
    /// binary's path, or null with the publish log saying why.
    /// </summary>
    public static async Task<(string? Binary, string Log)> PublishAsync(string output, string flags = "", string? runtimeIdentifier = null)
    {
        string project = Path.Combine(RepositoryPaths.Root, "gateway", "KitchenButton.Gateway.Bootstrap", "KitchenButton.Gateway.Bootstrap.csproj");
        var start = new ProcessStartInfo("dotnet", $"publish \"{project}\" -c Release -r {runtimeIdentifier ?? RuntimeIdentifier} {flags} -o \"{output}\" -nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process publish = Process.Start(start)!;
        Task<string> stdout = publish.StandardOutput.ReadToEndAsync();
        Task<string> stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        string log = await stdout + await stderr;
        return (publish.ExitCode == 0 ? Path.Combine(output, "bootstrap") : null, log);
    }

    /// <summary>
    /// The access key a function's bootstrap signs with: one per function, as each Lambda function
    /// runs as its own role, so the local parts can tell whose call they answered (<see cref="AwsCallLog"/>).
    /// </summary>
    public static string AccessKeyOf(string handler) => "AKIDLOCAL" + handler.ToUpperInvariant();

    /// <summary>
    /// How Lambda starts the bootstrap: the Runtime API's address, the handler setting, and the
    /// environment the stack gives the functions, pointed at the harness's local parts.
    /// </summary>
    /// <param name="emulator">A user-mode emulator to run a bootstrap built for another architecture (qemu-aarch64), or null to run it directly.</param>
    public static ProcessStartInfo StartInfo(string binary, LocalGateway gw, LocalRuntimeApi runtime, string handler, string? emulator = null)
    {
        var start = new ProcessStartInfo(emulator ?? binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (emulator != null)
        {
            start.ArgumentList.Add(binary);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        start.Environment["_HANDLER"] = handler;
        start.Environment["AWS_REGION"] = "eu-west-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = AccessKeyOf(handler);
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local-secret";
        start.Environment[GatewaySettings.PendingTable] = gw.Tables.Tickets;
        start.Environment[GatewaySettings.DevicesTable] = gw.Tables.Devices;
        start.Environment[GatewaySettings.StationsTable] = gw.Tables.Stations;
        start.Environment[GatewaySettings.LedgerTable] = gw.Tables.PressLedger;
        start.Environment[GatewaySettings.MetricNamespaceVariable] = "KitchenButton/local";
        start.Environment[GatewaySettings.DynamoEndpointVariable] = gw.DynamoEndpoint.ToString();
        start.Environment[GatewaySettings.StatesEndpointVariable] = gw.Aws.BaseUri.ToString();
        start.Environment[GatewaySettings.IotDataEndpointVariable] = gw.Aws.BaseUri.ToString();
        return start;
    }
}
