using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using KitchenButton.LocalAws;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>Runs one of tests/node's scripts with input on stdin and returns its stdout.</summary>
public static class NodeScript
{
    public static async Task<string> RunAsync(string script, string stdin)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "tests", "node"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("node " + script + " failed: " + await error);
        }

        return await output;
    }
}
