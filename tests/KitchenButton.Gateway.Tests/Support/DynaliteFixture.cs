using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using KitchenButton.Gateway.Storage;
using Xunit;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>
/// Starts dynalite (the DynamoDB API on LevelDB in memory, from tests/node) on a free loopback port
/// once for the test run, and gives each test its own set of tables.
/// </summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    private Process? _process;
    private int _tablesMade;

    public int Port { get; private set; }

    public IAmazonDynamoDB Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Port = FreePort();
        var start = new ProcessStartInfo("node", "node_modules/dynalite/cli.js --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 --port " + Port)
        {
            WorkingDirectory = RepositoryPaths.NodeTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("dynalite did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(Port, TimeSpan.FromSeconds(20));
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = "http://127.0.0.1:" + Port,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
    }

    /// <summary>Creates a fresh set of the gateway's tables and returns their names.</summary>
    public async Task<GatewayTables> CreateTablesAsync()
    {
        GatewayTables tables = GatewayTables.WithPrefix("t" + Interlocked.Increment(ref _tablesMade) + "-");
        foreach (var request in TableDefinitions.All(tables))
        {
            await Client.CreateTableAsync(request);
            while ((await Client.DescribeTableAsync(request.TableName)).Table.TableStatus != Amazon.DynamoDBv2.TableStatus.ACTIVE)
            {
                await Task.Delay(10);
            }
        }

        return tables;
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException("dynalite exited with " + _process.ExitCode);
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

[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}
