using System;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Gateway.Processing;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

/// <summary>
/// An operator whose credentials lack a grant: each service refuses in its own wire form (DynamoDB and
/// Step Functions awsJson, SQS with its Query code, IoT and Lambda REST), and the tool says which
/// call IAM refused and the one policy that allows them all, exit code 1, no stack trace.
/// </summary>
[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class AccessDeniedTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public AccessDeniedTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        _stack = await OperatorStack.StartAsync(_fixture.Dynalite);
        await _stack.Gateway.PairAsync("salad-bar-1", "pizza", Secret);
        _stack.SendFailedPress(_stack.EventOf(PressEvents.Signed("salad-bar-1", Secret, 1, 1, _stack.Gateway.Now.ToUnixTimeSeconds())), new RetryLaterException("Step Functions was down"));
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("dynamodb:Scan", "station|list")]
    [InlineData("iot:CreateThing", "device|pair|pizza-oven-9|pizza|--wifi-ssid|K|--wifi-password-file|-")]
    [InlineData("sqs:ReceiveMessage", "presses|failed")]
    [InlineData("lambda:InvokeFunction", "presses|replay|--all")]
    [InlineData("states:StartExecution", "order|start|--station|pizza|--items|1x margherita")]
    public async Task A_refused_call_is_named_with_the_policy_that_allows_it(string action, string verb)
    {
        _stack.Aws.Calls.Deny(action);
        CliRun run = await _stack.RunWithInputAsync("pw12345678\n", verb.Split('|'));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("AccessDenied", run.Error, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: " + action, run.Error, StringComparison.Ordinal);
        Assert.Contains("kitchenbutton-" + _stack.Environment + "-operator", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_refusal_gets_no_policy_hint()
    {
        // A call AWS refuses for another reason (here: the thing is already paired) is not about permissions.
        await _stack.RunWithInputAsync("pw12345678\n", "device", "pair", "pizza-oven-9", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", System.IO.Path.Combine(_stack.Folder, "a"));
        CliRun again = await _stack.RunWithInputAsync("pw12345678\n", "device", "pair", "pizza-oven-9", "pizza", "--wifi-ssid", "K", "--wifi-password-file", "-", "--out", System.IO.Path.Combine(_stack.Folder, "b"));

        Assert.NotEqual(ExitCodes.Ok, again.ExitCode);
        Assert.DoesNotContain("-operator", again.Error, StringComparison.Ordinal);
    }
}
