using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// The permissions docs/operations.md tells operators to grant, against the AWS calls the tool really
/// makes: every verb that calls AWS is run once on a local environment whose parts record each call
/// by action, and the two lists must be the same.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class OperatorPermissionsTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly LocalStackFixture _fixture;
    private OperatorStack _stack = null!;

    public OperatorPermissionsTests(LocalStackFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync() => _stack = await OperatorStack.StartAsync(_fixture.Dynalite);

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task The_permissions_the_operations_guide_lists_are_exactly_the_calls_the_tool_makes()
    {
        string certificates = Path.Combine(_stack.Folder, "certs");
        await RunAsync("station", "add", "pizza", "--name", "Pizza oven", "--timeout-seconds", "1200");
        await RunAsync("station", "add", "grill");
        await RunAsync("station", "add", "drinks");
        await RunAsync("station", "list");
        await RunAsync("station", "show", "pizza");
        await RunAsync("station", "set", "pizza", "--timeout-seconds", "900");
        await RunAsync("station", "remove", "drinks");
        Assert.Equal(0, (await _stack.RunWithInputAsync("pw\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", certificates)).ExitCode);
        await RunAsync("device", "list", "--station", "pizza");
        await RunAsync("device", "show", "pizza-oven-1");
        await RunAsync("device", "disable", "pizza-oven-1");
        await RunAsync("device", "enable", "pizza-oven-1");
        await RunAsync("device", "move", "pizza-oven-1", "--to", "grill");
        await RunAsync("device", "rotate-secret", "pizza-oven-1", "--out", certificates);
        await RunAsync("order", "start", "--station", "grill", "--items", "1x burger", "--order-id", "ord-1");
        await RunAsync("order", "list", "--station", "grill");

        // Two presses that failed for good: listed, one replayed by its id (the other is released
        // for the next reader), then the rest.
        await _stack.Gateway.PairAsync("salad-bar-1", "grill", Secret, createStation: false);
        for (uint seq = 1; seq <= 2; seq++)
        {
            byte[] pressEvent = PressEvents.Event(PressEvents.Signed("salad-bar-1", Secret, 1, seq, _stack.Gateway.Now.ToUnixTimeSeconds()), null, null, _stack.Gateway.Now.ToUnixTimeMilliseconds());
            _stack.Aws.Queues.Send(LocalStackServices.PressFailuresQueue(_stack.Environment),
                LocalStackServices.FailureRecord(LocalStackServices.PressFunction(_stack.Environment), pressEvent, new RetryLaterException("Step Functions was down"), attempts: 3));
        }

        CliRun failed = await _stack.RunAsync("presses", "failed", "-o", "json");
        Assert.True(failed.ExitCode == 0, failed.Error);
        await RunAsync("presses", "replay", JsonDocument.Parse(failed.Output).RootElement[0].GetProperty("message").GetString()!);
        await RunAsync("presses", "replay", "--all");
        await RunAsync("device", "forget", "pizza-oven-1");

        // Forgetting a thing the stack has no record of asks IoT whether the thing exists at all.
        await _stack.RunAsync("device", "forget", "ghost-1");

        // `device pair` asks AWS for the account's data endpoint; --local reads the broker's address
        // from the stack's endpoints file instead, so that call is only made against AWS.
        string[] made = _stack.OperatorActions.Append("iot:DescribeEndpoint").Distinct().ToArray();
        string[] listed = ListedInTheGuide();
        Assert.True(made.Except(listed).ToArray() is [], "the tool calls what docs/operations.md does not list: " + string.Join(", ", made.Except(listed)));
        Assert.True(listed.Except(made).ToArray() is [], "docs/operations.md lists what the tool never calls: " + string.Join(", ", listed.Except(made)));
    }

    private async Task RunAsync(params string[] args)
    {
        CliRun run = await _stack.RunAsync(args);
        Assert.True(run.ExitCode == 0, string.Join(" ", args) + ": " + run.Error);
    }

    /// <summary>
    /// The guide's paragraph "The operator's credentials need, …": per service (DynamoDB, IoT, SQS,
    /// Lambda, Step Functions) the actions in backquotes, as IAM names them.
    /// </summary>
    private static string[] ListedInTheGuide()
    {
        string guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "operations.md"));
        int start = guide.IndexOf("The operator's credentials need", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md no longer says what the operator's credentials need");
        int end = guide.IndexOf("\n\n", start, StringComparison.Ordinal);
        string paragraph = guide[start..end].Replace('\n', ' ');
        var services = new Dictionary<string, string>
        {
            ["DynamoDB"] = "dynamodb",
            ["IoT"] = "iot",
            ["SQS"] = "sqs",
            ["Lambda"] = "lambda",
            ["Step Functions"] = "states",
        };
        var actions = new List<string>();
        foreach (string part in paragraph.Split(';'))
        {
            string service = services.Single(s => part[..part.IndexOf('`', StringComparison.Ordinal)].Contains(s.Key, StringComparison.Ordinal)).Value;
            actions.AddRange(Regex.Matches(part, "`([A-Za-z]+)`").Select(m => service + ":" + m.Groups[1].Value));
        }

        return actions.Distinct().ToArray();
    }
}
