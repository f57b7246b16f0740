using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.LocalAws;

/// <summary>
/// dynalite (the DynamoDB API on LevelDB, in memory, from local/node) on a free loopback port, with
/// table creation made instant so tests need not wait for CREATING tables.
/// </summary>
public sealed class DynaliteProcess : IAsyncDisposable
{
    private readonly string? _path;
    private Process _process;
    private int _tablesMade;

    private DynaliteProcess(Process process, int port, string? path)
    {
        _process = process;
        _path = path;
        Port = port;
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = "http://127.0.0.1:" + port,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
    }

    public int Port { get; }

    public IAmazonDynamoDB Client { get; }

    /// <param name="path">A folder for dynalite's LevelDB store: its data then survives <see cref="KillAsync"/> and <see cref="RestartAsync"/>.</param>
    public static async Task<DynaliteProcess> StartAsync(string? path = null)
    {
        int port = FreePort();
        return new DynaliteProcess(await LaunchAsync(port, path), port, path);
    }

    /// <summary>Kills the process, as a DynamoDB outage: every call fails until <see cref="RestartAsync"/>.</summary>
    public Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts it again on the same port and store.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process.Dispose();
        _process = await LaunchAsync(Port, _path);
    }

    private static async Task<Process> LaunchAsync(int port, string? path)
    {
        string store = path == null ? string.Empty : " --path \"" + path + "\"";
        var start = new ProcessStartInfo("node", "node_modules/dynalite/cli.js --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 --port " + port + store)
        {
            WorkingDirectory = RepositoryPaths.NodeTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("dynalite did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForPortAsync(process, port, TimeSpan.FromSeconds(20));
        return process;
    }

    /// <summary>Creates a fresh set of the gateway's tables and returns their names.</summary>
    public Task<GatewayTables> CreateTablesAsync() => CreateTablesAsync("t" + Interlocked.Increment(ref _tablesMade) + "-");

    /// <summary>Creates the gateway's tables under a prefix the caller chose (a deployed stack's, for the tools).</summary>
    public async Task<GatewayTables> CreateTablesAsync(string prefix)
    {
        GatewayTables tables = GatewayTables.WithPrefix(prefix);
        foreach (var request in TableDefinitions.All(tables))
        {
            await Client.CreateTableAsync(request);
            while ((await Client.DescribeTableAsync(request.TableName)).Table.TableStatus != TableStatus.ACTIVE)
            {
                await Task.Delay(10);
            }
        }

        return tables;
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(Process process, int port, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("dynalite exited with " + process.ExitCode);
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("dynalite did not open port " + port);
    }
}
