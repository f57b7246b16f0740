using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;

namespace KitchenButton.Testing;

/// <summary>
/// What an outer-loop test needs from the machine beyond the .NET SDK (tests/prerequisites names the
/// groups). A missing group is installed the way the local stack installs Mosquitto, as root with
/// apt-get; where that is impossible the test is skipped with the command that would enable it, never
/// failed. .ci/run installs every group first and fails on any skipped test.
/// </summary>
public static class Prerequisites
{
    private static readonly ConcurrentDictionary<string, Lazy<string?>> Checked = new();

    /// <summary>The script, found from any output folder under the repository.</summary>
    public static string Script => Path.Combine(RepositoryRoot.Path, "tests", "prerequisites");

    /// <summary>Null when every group is present (installing what is missing if it can); otherwise why the test cannot run and how to enable it.</summary>
    public static string? Missing(params string[] groups)
    {
        string key = string.Join(' ', groups);
        return Checked.GetOrAdd(key, k => new Lazy<string?>(() => Ensure(k))).Value;
    }

    private static string? Ensure(string groups)
    {
        (int exit, string output) = Run("check " + groups);
        if (exit == 0)
        {
            return null;
        }

        // Test projects run in parallel processes: flock lets one install while the others wait.
        (int installed, string log) = Run("install " + groups, underLock: true);
        if (installed == 0 && Run("check " + groups).Exit == 0)
        {
            return null;
        }

        return "needs " + groups + " (" + output.Trim() + "; " + Tail(log) + "): run `sudo tests/prerequisites install " + groups + "`";
    }

    private static (int Exit, string Output) Run(string arguments, bool underLock = false)
    {
        var start = underLock && File.Exists("/usr/bin/flock")
            ? new ProcessStartInfo("/usr/bin/flock", Path.Combine(Path.GetTempPath(), "kitchenbutton-prerequisites.lock") + " bash " + Script + " " + arguments)
            : new ProcessStartInfo("bash", Script + " " + arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    private static string Tail(string log)
    {
        string[] lines = log.Trim().Split('\n');
        return lines.Length == 0 ? string.Empty : lines[^1].Trim();
    }
}
