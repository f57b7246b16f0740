using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.Cli.Connection;
using Xunit;

namespace KitchenButton.LocalStack.Tests;

/// <summary>`serve`: the local stack stays up, tells where it listens, and the operators' tool works on it with --local.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serve_prints_its_endpoints_the_tool_uses_them_and_SIGTERM_stops_it_cleanly()
    {
        string endpointsFile = Path.Combine(Path.GetTempPath(), "kb-serve-" + Guid.NewGuid().ToString("N") + ".json");
        using Process serve = Start(Path.Combine(AppContext.BaseDirectory, "KitchenButton.LocalStack.dll"), endpointsFile, "serve");
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
            LocalStackEndpoints endpoints = LocalStackEndpoints.Load(endpointsFile);
            Assert.Equal("local", endpoints.Environment);
            Assert.True(File.Exists(endpoints.CaFile));

            using Process add = Start(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"), endpointsFile, "station", "add", "pizza", "--local");
            await add.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(add.ExitCode == 0, await add.StandardError.ReadToEndAsync());
            using Process list = Start(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"), endpointsFile, "station", "list", "--local", "-o", "json");
            string listed = await list.StandardOutput.ReadToEndAsync();
            await list.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("\"station\": \"pizza\"", listed);

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
