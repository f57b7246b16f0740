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
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>
/// What operators are told to grant and what the stack grants them, against the AWS calls the tool
/// really makes: every verb that calls AWS is run once on a local environment whose parts record each
/// call by action and ARN; the list in docs/operations.md must be exactly those actions, and the
/// managed policy the CDK app synthesizes for that environment must allow each call and grant
/// nothing the tool does not use.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OperatorAccessTests : IClassFixture<OperatorAccessTests.OperatorDay>
{
    private readonly OperatorDay _day;

    public OperatorAccessTests(OperatorDay day)
    {
        _day = day;
    }

    [Fact]
    public void The_permissions_the_operations_guide_lists_are_exactly_the_calls_the_tool_makes()
    {
        // `device pair` asks AWS for the account's data endpoint; --local reads the broker's address
        // from the stack's endpoints file instead, so that call is only made against AWS.
        string[] made = _day.Calls.Select(c => c.Action).Append("iot:DescribeEndpoint").Distinct().ToArray();
        string[] listed = ListedInTheGuide();
        Assert.True(made.Except(listed).ToArray() is [], "the tool calls what docs/operations.md does not list: " + string.Join(", ", made.Except(listed)));
        Assert.True(listed.Except(made).ToArray() is [], "docs/operations.md lists what the tool never calls: " + string.Join(", ", listed.Except(made)));
    }

    [Fact]
    public void Every_call_the_tool_made_the_operator_policy_allows()
    {
        string[] denied = _day.Roles.Denied(_day.Roles.OperatorPolicy, OperatorCalls()).ToArray();
        Assert.True(denied.Length == 0, "denied in AWS:\n" + string.Join("\n", denied));
    }

    [Fact]
    public void Every_grant_of_the_operator_policy_the_tool_uses()
    {
        // The endpoint lookup is made only against AWS (see the guide's test above).
        string[] unused = _day.Roles.Unused(_day.Roles.OperatorPolicy, OperatorCalls())
            .Where(g => g.Action != "iot:DescribeEndpoint")
            .Select(g => g.Action + " on " + g.Resource).ToArray();
        Assert.True(unused.Length == 0, "granted, never called:\n" + string.Join("\n", unused));
    }

    [Fact]
    public void The_operator_policy_reaches_no_other_environment()
    {
        // The tool's own calls, aimed at another environment's tables, queues, press handler and state machine.
        string here = "kitchenbutton-" + _day.Environment + "-";
        var elsewhere = OperatorCalls().Where(c => c.Resource.Contains(here, StringComparison.Ordinal))
            .Select(c => (c.Action, Resource: c.Resource.Replace(here, "kitchenbutton-other-", StringComparison.Ordinal), c.Context)).ToList();
        Assert.NotEmpty(elsewhere);
        string[] reached = elsewhere.Select(c => c.Action + " on " + c.Resource).Except(_day.Roles.Denied(_day.Roles.OperatorPolicy, elsewhere)).ToArray();
        Assert.True(reached.Length == 0, "allowed on another environment:\n" + string.Join("\n", reached));
    }

    private List<(string Action, string Resource, Dictionary<string, string>? Context)> OperatorCalls() =>
        _day.Calls.Select(c => (c.Action, c.Resource, (Dictionary<string, string>?)null)).ToList();

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

    /// <summary>
    /// An operator's day on a local environment: every verb that calls AWS, once, the AWS calls it
    /// made recorded; and the roles of the stack the CDK app synthesizes for that environment.
    /// </summary>
    public sealed class OperatorDay : IAsyncLifetime
    {
        private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        private DynaliteProcess? _dynalite;

        public IReadOnlyList<AwsCall> Calls { get; private set; } = Array.Empty<AwsCall>();

        public string Environment { get; private set; } = string.Empty;

        public DeployedRoles Roles { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _dynalite = await DynaliteProcess.StartAsync();
            await using OperatorStack stack = await OperatorStack.StartAsync(_dynalite);
            Environment = stack.Environment;
            Roles = new DeployedRoles(StackFixture.With(new StackSettings { EnvironmentName = stack.Environment }).Json);

            string certificates = Path.Combine(stack.Folder, "certs");
            await RunAsync(stack, "station", "add", "pizza", "--name", "Pizza oven", "--timeout-seconds", "1200");
            await RunAsync(stack, "station", "add", "grill");
            await RunAsync(stack, "station", "add", "drinks");
            await RunAsync(stack, "station", "list");
            await RunAsync(stack, "station", "show", "pizza");
            await RunAsync(stack, "station", "set", "pizza", "--timeout-seconds", "900");
            await RunAsync(stack, "station", "remove", "drinks");
            CliRun paired = await stack.RunWithInputAsync("pw\n", "device", "pair", "pizza-oven-1", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", certificates);
            Assert.True(paired.ExitCode == 0, paired.Error);
            await RunAsync(stack, "device", "list", "--station", "pizza");
            await RunAsync(stack, "device", "show", "pizza-oven-1");
            await RunAsync(stack, "device", "disable", "pizza-oven-1");
            await RunAsync(stack, "device", "enable", "pizza-oven-1");
            await RunAsync(stack, "device", "move", "pizza-oven-1", "--to", "grill");
            await RunAsync(stack, "device", "rotate-secret", "pizza-oven-1", "--out", certificates);
            await RunAsync(stack, "order", "start", "--station", "grill", "--items", "1x burger", "--order-id", "ord-1");
            await RunAsync(stack, "order", "list", "--station", "grill");
            await RunAsync(stack, "station", "sync", "grill");
            await RunAsync(stack, "station", "sync", "--all");

            // Presses that failed for good, two in each queue: listed, one replayed by its id (the
            // others are released for the next reader), then the rest.
            await stack.Gateway.PairAsync("salad-bar-1", "grill", Secret, createStation: false);
            for (uint seq = 1; seq <= 2; seq++)
            {
                stack.SendFailedPress(stack.EventOf(PressEvents.Signed("salad-bar-1", Secret, 1, seq, stack.Gateway.Now.ToUnixTimeSeconds())), new RetryLaterException("Step Functions was down"));
                stack.SendRuleError(PressEvents.Signed("salad-bar-1", Secret, 1, seq + 2, stack.Gateway.Now.ToUnixTimeSeconds()), "Rate exceeded");
            }

            CliRun failed = await stack.RunAsync("presses", "failed", "-o", "json");
            Assert.True(failed.ExitCode == 0, failed.Error);
            await RunAsync(stack, "presses", "replay", JsonDocument.Parse(failed.Output).RootElement[0].GetProperty("message").GetString()!);
            await RunAsync(stack, "presses", "replay", "--all");
            await RunAsync(stack, "device", "forget", "pizza-oven-1");

            // Two orders whose clean-up failed for good: listed, one replayed by its id through the
            // order clean-up (the other released for the next reader), then the rest.
            await stack.StopWithFailedCleanupAsync(await stack.Workflow.StartParkedOrderAsync("ord-2", "grill"));
            await stack.StopWithFailedCleanupAsync(await stack.Workflow.StartParkedOrderAsync("ord-3", "grill"));
            CliRun cleanups = await stack.RunAsync("cleanups", "failed", "-o", "json");
            Assert.True(cleanups.ExitCode == 0, cleanups.Error);
            await RunAsync(stack, "cleanups", "replay", JsonDocument.Parse(cleanups.Output).RootElement[0].GetProperty("message").GetString()!);
            await RunAsync(stack, "cleanups", "replay", "--all");

            // Forgetting a thing the stack has no record of asks IoT whether the thing exists at all.
            await stack.RunAsync("device", "forget", "ghost-1");
            Calls = stack.OperatorCalls.ToList();
        }

        public async Task DisposeAsync()
        {
            if (_dynalite != null)
            {
                await _dynalite.DisposeAsync();
            }
        }

        private static async Task RunAsync(OperatorStack stack, params string[] args)
        {
            CliRun run = await stack.RunAsync(args);
            Assert.True(run.ExitCode == 0, string.Join(" ", args) + ": " + run.Error);
        }
    }
}
