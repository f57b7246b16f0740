using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Repository.Tests;

/// <summary>
/// One word per idea (docs/architecture.md, Glossary): a retired synonym does not come back in a code
/// identifier. Comments and strings may still quote a contract that keeps an old word (a metric's
/// name, a table's, the wire protocol's).
/// </summary>
public sealed class GlossaryTests
{
    /// <summary>Each retired word, and the word that replaced it.</summary>
    public static readonly Dictionary<string, string> Retired = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PendingTask"] = "Ticket",
        ["QueueEntry"] = "Ticket",
        ["WaitingOrder"] = "Ticket",
        ["PendingCount"] = "WaitingCount",
        ["StationCount"] = "WaitingCount",
        ["Callback"] = "Answer",
        ["Abandoned"] = "Ended",
        ["DeviceStatus"] = "LightState (the LED) or HealthReport",
        ["StatusReport"] = "HealthReport",
        ["StatusMessage"] = "HealthReport (the button's report; the cloud's message to it is the StateMessage)",
        ["LocalStack"] = "Local (the local stack is KitchenButton.Local)",
    };

    /// <summary>Names that belong to .NET, not to us.</summary>
    private static readonly HashSet<string> Framework = new(StringComparer.Ordinal)
    {
        "ServerCertificateCustomValidationCallback",
        "RemoteCertificateValidationCallback",
        "RemoteCertificateValidationCallbackOptions",
        "LocalCertificateSelectionCallback",
        "TimerCallback",
        "AsyncCallback",
        "WaitCallback",
        "SendOrPostCallback",
        "ContextCallback",
    };

    [Fact]
    public void No_code_identifier_uses_a_retired_word()
    {
        string root = RepositoryRoot.Path;
        var offences = new List<string>();
        foreach (string folder in ProductProjects.Folders.Concat(new[] { "tests", "bench" }))
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains("node_modules") || file.Contains("/obj/") || file.Contains("/bin/") || file.EndsWith("GlossaryTests.cs", StringComparison.Ordinal))
                {
                    continue;
                }

                offences.AddRange(OffencesIn(File.ReadAllText(file)).Select(o => Path.GetRelativePath(root, file) + ": " + o));
            }
        }

        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences.Distinct()));
    }

    [Theory]
    [InlineData("public sealed record PendingTask(string Token);", "PendingTask")]
    [InlineData("int stationCount = 0;", "stationCount")]
    [InlineData("var abandonedStatuses = new[] { 1 };", "abandonedStatuses")]
    [InlineData("ITaskCallbacks answers = null;", "ITaskCallbacks")]
    public void A_retired_word_in_an_identifier_is_found(string code, string identifier)
    {
        Assert.Contains(OffencesIn(code), o => o.StartsWith(identifier + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("// the pending-task table keeps its name")]
    [InlineData("const string Metric = \"PressToCallbackLatency\";")]
    [InlineData("handler.ServerCertificateCustomValidationCallback = null;")]
    public void Comments_strings_and_framework_names_are_not_offences(string code)
    {
        Assert.Empty(OffencesIn(code));
    }

    private static IEnumerable<string> OffencesIn(string source) =>
        CodeIdentifiers.Of(source)
            .Where(identifier => !Framework.Contains(identifier))
            .SelectMany(identifier => Retired.Keys
                .Where(word => identifier.Contains(word, StringComparison.OrdinalIgnoreCase))
                .Select(word => identifier + " (say " + Retired[word] + ")"));
}
