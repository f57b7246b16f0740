using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.Cli.Connection;
using KitchenButton.Device.Light;
using KitchenButton.Gateway.Naming;
using KitchenButton.Simulator.Mqtt;
using Xunit;

namespace KitchenButton.Local.Tests;

/// <summary>`serve`: the local stack stays up, tells where it listens, and the operators' tool works on it with --local.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serve_prints_its_endpoints_the_tool_uses_them_and_SIGTERM_stops_it_cleanly()
    {
        string endpointsFile = Path.Combine(Path.GetTempPath(), "kb-serve-" + Guid.NewGuid().ToString("N") + ".json");
        using Process serve = Start(Path.Combine(AppContext.BaseDirectory, "KitchenButton.Local.dll"), endpointsFile, "serve");
        try
        {
            var lines = new System.Collections.Generic.List<string>();
            while (lines.Count < 4 && await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                if (line.StartsWith("stepfunctions ", StringComparison.Ordinal) || line.StartsWith("dynamodb ", StringComparison.Ordinal)
                    || line.StartsWith("mqtt ", StringComparison.Ordinal) || line.StartsWith("endpoints written", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
            }

            Assert.Matches(@"^stepfunctions http://127\.0\.0\.1:\d+$", lines[0]);
            Assert.Matches(@"^dynamodb http://127\.0\.0\.1:\d+$", lines[1]);
            Assert.Matches(@"^mqtt 127\.0\.0\.1:\d+$", lines[2]);
            LocalEndpoints endpoints = LocalEndpoints.Load(endpointsFile);
            Assert.Equal("local", endpoints.Environment);
            Assert.True(File.Exists(endpoints.CaFile));

            using Process add = Start(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"), endpointsFile, "station", "add", "pizza", "--local");
            await add.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(add.ExitCode == 0, await add.StandardError.ReadToEndAsync());
            using Process list = Start(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"), endpointsFile, "station", "list", "--local", "-o", "json");
            string listed = await list.StandardOutput.ReadToEndAsync();
            await list.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("\"station\": \"pizza\"", listed);

            // A board paired against the local stack with the same command as against AWS connects and resumes an order.
            // The order waits before the board is paired, so no change at the station follows the pairing:
            // the board shows the order on its first connect only because pairing told it the count.
            string certs = Path.Combine(Path.GetTempPath(), "kb-serve-certs-" + Guid.NewGuid().ToString("N"));
            Assert.Equal(0, await ToolAsync(endpointsFile, null, "order", "start", "--station", "pizza", "--order-id", "ord-1", "--local"));
            Assert.Equal(0, await ToolAsync(endpointsFile, "pw\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", certs, "--local"));
            string board = Path.Combine(certs, "pizza-oven-1");
            var identity = TlsIdentity.FromPem(File.ReadAllText(Path.Combine(board, "device.cert.pem")), File.ReadAllText(Path.Combine(board, "device.private.key")),
                File.ReadAllText(Path.Combine(board, "AmazonRootCA1.pem")));
            byte[] secret = Convert.FromHexString(File.ReadAllText(Path.Combine(board, "device.secret")).Trim());
            int mqttPort = int.Parse(lines[2][(lines[2].LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var log = new StringWriter();
            await using (var button = new MqttButton("127.0.0.1", mqttPort, identity, secret, TextWriter.Synchronized(log), thing: "pizza-oven-1"))
            {
                button.Start();
                Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting, TimeSpan.FromSeconds(20)), log.ToString());
                await button.PressAsync(150);
                Assert.True(await button.WaitUntilAsync(d => d.Light == LightState.Resumed, TimeSpan.FromSeconds(15)), log.ToString());
            }

            Directory.Delete(certs, recursive: true);

            Assert.Equal(0, Kill(serve.Id));
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, serve.ExitCode);
            Assert.False(File.Exists(endpointsFile));
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Serve_with_a_port_base_listens_on_the_ports_it_names()
    {
        int portBase = ConsecutiveFreePorts(3);
        string endpointsFile = Path.Combine(Path.GetTempPath(), "kb-serve-" + Guid.NewGuid().ToString("N") + ".json");
        using Process serve = Start(Path.Combine(AppContext.BaseDirectory, "KitchenButton.Local.dll"), endpointsFile, "serve", "--port-base", portBase.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var lines = new System.Collections.Generic.List<string>();
            while (lines.Count < 3 && await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                if (line.StartsWith("stepfunctions ", StringComparison.Ordinal) || line.StartsWith("dynamodb ", StringComparison.Ordinal) || line.StartsWith("mqtt ", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
            }

            Assert.Equal(new[] { "stepfunctions http://127.0.0.1:" + (portBase + 1), "dynamodb http://127.0.0.1:" + portBase, "mqtt 127.0.0.1:" + (portBase + 2) }, lines);
            for (int port = portBase; port < portBase + 3; port++)
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
            }

            Assert.Equal(0, Kill(serve.Id));
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, serve.ExitCode);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive loopback ports nothing listens on now.</summary>
    private static int ConsecutiveFreePorts(int count)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int first = KitchenButton.LocalAws.DynaliteProcess.FreePort();
            bool free = true;
            for (int port = first + 1; port < first + count && free; port++)
            {
                try
                {
                    var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                    probe.Start();
                    probe.Stop();
                }
                catch (System.Net.Sockets.SocketException)
                {
                    free = false;
                }
            }

            if (free)
            {
                return first;
            }
        }

        throw new InvalidOperationException("no " + count + " consecutive free ports");
    }

    private static async Task<int> ToolAsync(string endpointsFile, string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KB_LOCAL_STACK"] = endpointsFile;
        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input ?? string.Empty);
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, await error);
        return process.ExitCode;
    }

    private static Process Start(string dll, string endpointsFile, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KB_LOCAL_STACK"] = endpointsFile;
        return Process.Start(start) ?? throw new InvalidOperationException(dll + " did not start");
    }

    /// <summary>SIGTERM, as a service manager or `docker stop` sends it.</summary>
    private static int Kill(int pid)
    {
        using Process kill = Process.Start("kill", new[] { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) })!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
