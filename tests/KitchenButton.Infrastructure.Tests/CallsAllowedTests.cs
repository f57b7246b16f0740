using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Device.Light;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.Local;
using KitchenButton.LocalAws;
using KitchenButton.Simulator.Mqtt;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>
/// What the code really calls, read against what the synthesized roles allow: a rush on the local
/// stack (each function the published bootstrap, signing with a key of its own, as each Lambda
/// function runs as its own role) records every AWS call by whose key, which action, which ARN, and
/// the broker every MQTT operation of a button by its client id; each must be allowed by the role the
/// CDK app gives that function or the workflow, or by the buttons' IoT policy, or it would be
/// AccessDenied in AWS (a dropped connection, for a button) while every local run passes.
/// </summary>
[Collection(StackCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class CallsAllowedTests : IClassFixture<CallsAllowedTests.Rush>
{
    /// <summary>AWS IoT's policy variable for a client whose id is a thing attached to its certificate.</summary>
    private static readonly Dictionary<string, string> ButtonVariables = new() { ["iot:Connection.Thing.ThingName"] = Rush.Thing };

    private static readonly Dictionary<string, string> AttachedCertificate = new() { ["iot:Connection.Thing.IsAttached"] = "true" };

    private readonly Rush _rush;

    public CallsAllowedTests(Rush rush)
    {
        _rush = rush;
    }

    [Fact]
    public void Every_call_a_function_made_its_deployed_role_allows()
    {
        string[] denied = _rush.Roles.Functions
            .SelectMany(f => _rush.Roles.Denied(f.Value.Statements, CallsOf(f.Key)).Select(d => f.Value.Id + ": " + d))
            .ToArray();
        Assert.True(denied.Length == 0, "denied in AWS:\n" + string.Join("\n", denied));
    }

    [Fact]
    public void Every_grant_a_function_holds_its_code_or_lambda_on_its_behalf_uses()
    {
        // What Lambda itself does with the function's role, never the code: active tracing, the
        // on-failure queue, the stream the event source mapping reads; and the IoT endpoint lookup,
        // which the local stack skips by naming its endpoint (A_given_iot_data_endpoint_… checks it).
        string[] platform =
        {
            "xray:PutTraceSegments", "xray:PutTelemetryRecords",
            "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
            "dynamodb:ListStreams", "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
            "iot:DescribeEndpoint",
        };
        string[] unused = _rush.Roles.Functions
            .SelectMany(f => _rush.Roles.Unused(f.Value.Statements, CallsOf(f.Key)).Where(g => !platform.Contains(g.Action)).Select(g => f.Value.Id + ": " + g.Action + " on " + g.Resource))
            .ToArray();
        Assert.True(unused.Length == 0, "granted, never called:\n" + string.Join("\n", unused));
    }

    [Fact]
    public void Every_call_the_workflow_made_its_execution_role_allows()
    {
        string[] denied = _rush.Roles.Denied(_rush.Roles.Workflow, WorkflowCalls().ToList()).ToArray();
        Assert.True(denied.Length == 0, "denied in AWS:\n" + string.Join("\n", denied));
    }

    [Fact]
    public void Every_call_was_signed_by_a_function_the_workflow_or_the_tests_own_setup()
    {
        // The setup (pairing, parking orders by hand) signs as the harness, and the bridge standing in
        // for the topic rules connects to the broker as itself; nothing else may appear, or a function
        // signed with credentials that are not its role's.
        var known = new HashSet<string>(_rush.Roles.Functions.Keys) { DynamoDbIntegration.AccessKey, LocalGateway.AccessKey, Rush.Thing, MosquittoBroker.GatewayIdentity };
        string[] unknown = _rush.Calls.Select(c => c.Principal).Distinct().Where(p => !known.Contains(p)).ToArray();
        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData(nameof(Functions.PressAsync), "dynamodb:PutItem dynamodb:Query dynamodb:UpdateItem dynamodb:DeleteItem dynamodb:GetItem states:SendTaskSuccess states:SendTaskFailure states:GetExecutionHistory iot:Publish iot:RetainPublish")]
    [InlineData(nameof(Functions.NotifierAsync), "dynamodb:Query iot:Publish iot:RetainPublish")]
    [InlineData(nameof(Functions.StatusAsync), "dynamodb:UpdateItem dynamodb:GetItem")]
    [InlineData(nameof(Functions.OrderCleanupAsync), "dynamodb:Query dynamodb:DeleteItem")]
    [InlineData(nameof(Functions.SilentButtonSweepAsync), "dynamodb:Scan")]
    public void The_rush_reached_each_kind_of_call_a_function_makes(string handler, string actions)
    {
        // Otherwise the checks above could pass on a rush that never reached a path.
        string key = LocalBootstrap.AccessKeyOf(handler);
        Assert.Empty(actions.Split(' ').Except(_rush.Calls.Where(c => c.Principal == key).Select(c => c.Action)));
    }

    [Fact]
    public void Every_grant_the_workflow_holds_its_definition_or_step_functions_on_its_behalf_uses()
    {
        // Step Functions itself, with the execution role: tracing, and delivering the error log.
        string[] platform = { "xray:", "logs:" };
        string[] unused = _rush.Roles.Unused(_rush.Roles.Workflow, WorkflowCalls().ToList())
            .Where(g => !platform.Any(p => g.Action.StartsWith(p, StringComparison.Ordinal)))
            .Select(g => g.Action + " on " + g.Resource).ToArray();
        Assert.True(unused.Length == 0, "granted, never called:\n" + string.Join("\n", unused));
    }

    [Fact]
    public void The_rush_reached_each_kind_of_call_the_workflow_makes()
    {
        string[] expected = { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "sns:Publish", "cloudwatch:PutMetricData" };
        Assert.Empty(expected.Except(WorkflowCalls().Select(c => c.Action)));
    }

    [Fact]
    public void Every_mqtt_operation_a_button_made_its_device_policy_allows()
    {
        string[] denied = _rush.Roles.Denied(_rush.Roles.DevicePolicy, CallsOf(Rush.Thing, AttachedCertificate), ButtonVariables).ToArray();
        Assert.True(denied.Length == 0, "denied by AWS IoT:\n" + string.Join("\n", denied));
    }

    [Fact]
    public void Every_grant_of_the_device_policy_a_button_uses()
    {
        string[] unused = _rush.Roles.Unused(_rush.Roles.DevicePolicy, CallsOf(Rush.Thing, AttachedCertificate), ButtonVariables)
            .Select(g => g.Action + " on " + g.Resource).ToArray();
        Assert.True(unused.Length == 0, "granted, never used:\n" + string.Join("\n", unused));
    }

    [Fact]
    public void The_rush_reached_each_kind_of_mqtt_operation_a_button_makes()
    {
        string[] expected =
        {
            "iot:Connect client/" + Rush.Thing,
            "iot:Subscribe topicfilter/cmd/kitchenbutton/" + Rush.Thing + "/state",
            "iot:Publish topic/dt/kitchenbutton/" + Rush.Thing + "/press",
            "iot:Publish topic/dt/kitchenbutton/" + Rush.Thing + "/status",
            "iot:Receive topic/cmd/kitchenbutton/" + Rush.Thing + "/state",
        };
        Assert.Empty(expected.Except(_rush.Calls.Where(c => c.Principal == Rush.Thing).Select(c => c.Action + " " + c.Resource.Split(':', 6)[5])));
    }

    [Fact]
    public void A_call_outside_a_role_is_told()
    {
        // The press handler's calls against the notifier's role: answering tasks is not the notifier's.
        var (_, notifier) = _rush.Roles.Functions.Values.Single(f => f.Id.StartsWith("GatewayNotifier", StringComparison.Ordinal));
        string press = LocalBootstrap.AccessKeyOf(nameof(Functions.PressAsync));
        AwsCall answer = _rush.Calls.First(c => c.Principal == press && c.Action == "states:SendTaskSuccess");
        Assert.True(PolicySimulator.IsAllowed(_rush.Roles.Functions[press].Statements, answer.Action, _rush.Roles.Symbolic(answer.Resource)));
        Assert.False(PolicySimulator.IsAllowed(notifier, answer.Action, _rush.Roles.Symbolic(answer.Resource)));
    }

    /// <summary>The calls <paramref name="principal"/> made, each once, in the context IAM or IoT evaluates them in.</summary>
    private List<(string Action, string Resource, Dictionary<string, string>? Context)> CallsOf(string principal, Dictionary<string, string>? context = null) =>
        _rush.Calls.Distinct().Where(c => c.Principal == principal).Select(c => (c.Action, c.Resource, context)).ToList();

    /// <summary>The workflow's DynamoDB calls as dynalite's proxy saw them, and its SNS and CloudWatch calls as the engine took them.</summary>
    private IEnumerable<(string Action, string Resource, Dictionary<string, string>? Context)> WorkflowCalls()
    {
        foreach (AwsCall call in _rush.Calls.Distinct().Where(c => c.Principal == DynamoDbIntegration.AccessKey))
        {
            yield return (call.Action, call.Resource, null);
        }

        foreach (RecordedCall call in _rush.WorkflowCalls)
        {
            using JsonDocument arguments = JsonDocument.Parse(call.Arguments);
            if (call.Service == "sns")
            {
                yield return ("sns:Publish", arguments.RootElement.GetProperty("TopicArn").GetString()!, null);
            }
            else
            {
                // PutMetricData has no resource; the role narrows it by the namespace condition key.
                var context = new Dictionary<string, string> { ["cloudwatch:namespace"] = arguments.RootElement.GetProperty("Namespace").GetString()! };
                yield return ("cloudwatch:PutMetricData", "*", context);
            }
        }
    }

    /// <summary>
    /// A rush on the local stack with the published bootstrap, reaching every path that calls AWS:
    /// a ready order, a problem, an order the operator stops (the clean-up function), a press with
    /// nothing waiting, a press delivered twice, a dead token ahead of a live order, an answer whose reply is lost (the
    /// execution's history is read), a kitchen timeout (the workflow's metric), a health report and
    /// the silent-button sweep.
    /// </summary>
    public sealed class Rush : IAsyncLifetime
    {
        /// <summary>The button pressed in the rush: its MQTT client id and thing name.</summary>
        public const string Thing = "pizza-oven-1";

        private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

        private readonly StringWriter _log = new();
        private readonly FakeTimeProvider _workflowClock = new(DateTimeOffset.UtcNow);

        public IReadOnlyList<AwsCall> Calls { get; private set; } = Array.Empty<AwsCall>();

        public IReadOnlyList<RecordedCall> WorkflowCalls { get; private set; } = Array.Empty<RecordedCall>();

        /// <summary>The roles of the stack deployed as the local stack's environment, so every name matches.</summary>
        public DeployedRoles Roles { get; } = new(StackFixture.With(new StackSettings { EnvironmentName = LocalKitchen.Environment }).Json);

        public async Task InitializeAsync()
        {
            (string? binary, string publishLog) = await LocalBootstrap.PublishSharedAsync().WaitAsync(TimeSpan.FromMinutes(10));
            Assert.True(binary != null, publishLog);
            TextWriter log = TextWriter.Synchronized(_log);
            await using LocalKitchen kitchen = await LocalKitchen.StartAsync(log, binary, workflowTime: _workflowClock);
            await using BootstrapFunctions sweep = await BootstrapFunctions.StartAsync(binary, kitchen.Gateway, nameof(Functions.SilentButtonSweepAsync));

            PairedButton paired = await kitchen.PairAsync(Thing, "pizza");
            await using MqttButton button = kitchen.ButtonFor(paired, log);
            button.Start();
            Assert.True(await button.WaitUntilAsync(d => d.IsConnected, Soon), _log.ToString());

            await kitchen.StartParkedOrderAsync("ord-1", "pizza");
            await PressAsync(button, 150, LightState.Resumed);
            await kitchen.StartParkedOrderAsync("ord-2", "pizza");
            await PressAsync(button, 1800, LightState.ProblemSent);

            Execution stopped = await kitchen.StartParkedOrderAsync("ord-3", "pizza");
            kitchen.Workflow.Service.StopExecution(stopped.Arn, "Order.Cancelled", "the guest left");
            await stopped.Ended.WaitAsync(Soon);
            await kitchen.SettleAsync(Soon);
            await PressAsync(button, 150, LightState.NothingWaiting);

            // A press delivered twice (MQTT QoS 1 and the rule deliver at least once): the second is
            // answered from the press ledger.
            byte[] twice = PressEvents.Event(PressEvents.Signed(paired.Thing, paired.Secret, boot: 99, seq: 1, ts: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            await kitchen.FunctionHost.InvokeAsync(nameof(Functions.PressAsync), twice, CancellationToken.None);
            await kitchen.FunctionHost.InvokeAsync(nameof(Functions.PressAsync), twice, CancellationToken.None);

            // The clean-up event is late: a dead token heads the queue when the cook presses.
            Execution dead = await kitchen.StartParkedOrderAsync("ord-4", "pizza");
            Execution live = await kitchen.StartParkedOrderAsync("ord-5", "pizza");
            kitchen.Workflow.Service.ExecutionEnded = null;
            kitchen.Workflow.Service.StopExecution(dead.Arn, null, null);
            await dead.Ended.WaitAsync(Soon);
            await PressAsync(button, 150, LightState.Resumed);
            await live.Ended.WaitAsync(Soon);

            // An answer applied whose reply is lost: the retry hears TaskTimedOut, so the press reads
            // the execution's history to learn the answer was its own.
            await kitchen.StartParkedOrderAsync("ord-6", "pizza");
            kitchen.Gateway.Aws.InjectFaults(Fault.ApplyThenServerError, 1);
            await PressAsync(button, 150, LightState.Resumed);

            // Its station's timeout (1800 s) passes twice: requeued once, then the order gives up. Last,
            // as the workflow's clock then runs an hour ahead and dates its tickets so.
            Execution late = await kitchen.StartParkedOrderAsync("ord-7", "pizza");
            _workflowClock.Advance(TimeSpan.FromSeconds(1801));
            Assert.True(await LocalOrderWorkflow.WaitUntilParkedAsync(late, 2, Soon), late.Status + " " + late.Cause);
            _workflowClock.Advance(TimeSpan.FromSeconds(1801));
            await late.Ended.WaitAsync(Soon);

            // A health report Lambda brings an hour late (the status recorder's longest event age),
            // after the button's own newer one: it does not replace it.
            byte[] lateReport = System.Text.Encoding.UTF8.GetBytes("{\"v\":1,\"fw\":\"0.9.0\",\"boot\":1,\"uptime\":5,\"freeMem\":1000,\"rssi\":-80,\"queued\":0,\"lastError\":\"\",\"topicThing\":\""
                + Thing + "\",\"receivedAt\":" + DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds() + "}");
            Assert.Equal("{\"recorded\":false}", System.Text.Encoding.UTF8.GetString(await kitchen.FunctionHost.InvokeAsync(nameof(Functions.StatusAsync), lateReport, CancellationToken.None)));

            await sweep.InvokeAsync(nameof(Functions.SilentButtonSweepAsync), "{}"u8.ToArray(), CancellationToken.None);
            await kitchen.SettleAsync(Soon);
            Calls = kitchen.Calls.Calls;
            WorkflowCalls = kitchen.Workflow.Recorded.Calls;
        }

        public Task DisposeAsync() => Task.CompletedTask;

        private async Task PressAsync(MqttButton button, int holdMs, LightState expect)
        {
            await button.PressAsync(holdMs);
            Assert.True(await button.WaitUntilAsync(d => d.Light == expect, Soon), _log.ToString());
            await button.WaitUntilAsync(d => d.Light != expect, Soon);
        }
    }
}
