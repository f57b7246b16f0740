using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

[Collection(StackCollection.Name)]
public sealed class FunctionTests
{
    private readonly StackFixture _stack;

    public FunctionTests(StackFixture stack)
    {
        _stack = stack;
    }

    public static IEnumerable<object[]> Functions() => new[]
    {
        new object[] { "GatewayPressHandler", nameof(KitchenButton.Gateway.Lambda.Functions.PressAsync), 512, KitchenButton.Infrastructure.Constructs.GatewayFunctions.PressTimeoutSeconds },
        new object[] { "GatewayNotifier", nameof(KitchenButton.Gateway.Lambda.Functions.NotifierAsync), 256, 30 },
        new object[] { "GatewayStatusRecorder", nameof(KitchenButton.Gateway.Lambda.Functions.StatusAsync), 256, 10 },
        new object[] { "GatewaySilentButtonSweep", nameof(KitchenButton.Gateway.Lambda.Functions.SilentButtonSweepAsync), 256, 60 },
        new object[] { "GatewayOrderCleanup", nameof(KitchenButton.Gateway.Lambda.Functions.OrderCleanupAsync), 256, 30 },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Each_function_runs_a_real_entry_point_of_the_gateway_on_the_aot_custom_runtime(string idPrefix, string handlerMethod, int memory, int timeout)
    {
        var (_, fn) = _stack.Json.Single("AWS::Lambda::Function", idPrefix);
        Assert.Equal("provided.al2023", fn.GetProperty("Runtime").GetString());
        Assert.Equal(new[] { "arm64" }, fn.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));

        // The custom runtime's loop resolves the same handler setting to the same entry point.
        Assert.Equal(handlerMethod, KitchenButton.Gateway.Lambda.Functions.Resolve(fn.GetProperty("Handler").GetString()));
        Assert.Equal(memory, fn.GetProperty("MemorySize").GetInt32());
        Assert.Equal(timeout, fn.GetProperty("Timeout").GetInt32());

        // The handler string must name a type and method the runtime can call: Assembly::Type::Method(Stream).
        string[] parts = fn.GetProperty("Handler").GetString()!.Split("::");
        Assert.Equal(3, parts.Length);
        Assembly assembly = Assembly.Load(parts[0]);
        Type type = assembly.GetType(parts[1], throwOnError: true)!;
        Assert.Equal(typeof(KitchenButton.Gateway.Lambda.Functions), type);
        Assert.Equal(handlerMethod, parts[2]);
        MethodInfo method = type.GetMethod(parts[2], new[] { typeof(Stream) })!;
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
    }

    [Fact]
    public void The_functions_environment_is_a_complete_gateway_configuration()
    {
        var (_, fn) = _stack.Json.Single("AWS::Lambda::Function", "GatewayPressHandler");
        var env = new Hashtable { ["AWS_REGION"] = StackFixture.Region };
        foreach (JsonProperty v in fn.GetProperty("Environment").GetProperty("Variables").EnumerateObject())
        {
            env[v.Name] = TemplateJson.Resolve(v.Value);
        }

        GatewaySettings settings = GatewaySettings.FromEnvironment(env);
        Assert.Equal("ref:" + _stack.Json.Single("AWS::DynamoDB::Table", "TablesPendingTasks").Id, settings.Tables.Tickets);
        Assert.Equal("ref:" + _stack.Json.Single("AWS::DynamoDB::Table", "TablesPressLedger").Id, settings.Tables.PressLedger);
        Assert.Equal(TimeSpan.FromSeconds(1860), settings.SilenceAfter);
        Assert.Equal("KitchenButton/dev", settings.MetricNamespace);

        // No endpoint baked in: the function looks it up itself (no custom resource in the template).
        Assert.Null(settings.IotDataEndpoint);
    }

    [Fact]
    public void No_function_in_the_template_uses_a_runtime_lambda_refuses_and_none_is_provided_by_cdk()
    {
        // CDK 2.160's AwsCustomResource provider synthesizes nodejs20.x, which Lambda no longer lets
        // anyone create (cfn-lint E2533). Every function here is the gateway on .NET.
        var functions = _stack.Json.Resources("AWS::Lambda::Function").ToList();
        Assert.Equal(5, functions.Count);
        Assert.All(functions, f => Assert.Equal("provided.al2023", f.Properties.GetProperty("Runtime").GetString()));
        Assert.Empty(_stack.Json.Resources("Custom::AWS"));
    }

    [Fact]
    public void One_context_flag_deploys_the_managed_runtime_build_instead()
    {
        var managed = StackFixture.With(StackSettings.FromContext(k => k == StackSettings.GatewayRuntimeKey ? "managed" : null));
        var functions = managed.Json.Resources("AWS::Lambda::Function").ToList();
        Assert.All(functions, f =>
        {
            Assert.Equal("dotnet10", f.Properties.GetProperty("Runtime").GetString());
            Assert.Equal(new[] { "arm64" }, f.Properties.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        });
        Assert.Contains("gateway/KitchenButton.Gateway ", managed.Settings.PublishCommand);
        Assert.Contains("gateway/KitchenButton.Gateway.Bootstrap -c Release -r linux-arm64 ", new StackSettings().PublishCommand);
    }

    [Fact]
    public void One_context_flag_deploys_an_x86_64_bootstrap_built_where_arm64_cannot_be_linked()
    {
        var x64 = StackFixture.With(StackSettings.FromContext(k => k == StackSettings.GatewayArchitectureKey ? "x86_64" : null));
        var functions = x64.Json.Resources("AWS::Lambda::Function").ToList();
        Assert.Equal(5, functions.Count);
        Assert.All(functions, f =>
        {
            Assert.Equal("provided.al2023", f.Properties.GetProperty("Runtime").GetString());
            Assert.Equal(new[] { "x86_64" }, f.Properties.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        });
        Assert.Contains("gateway/KitchenButton.Gateway.Bootstrap -c Release -r linux-x64 ", x64.Settings.PublishCommand);
    }

    [Fact]
    public void A_given_iot_data_endpoint_is_passed_on_and_then_no_lookup_right_is_granted()
    {
        var known = StackFixture.With(new StackSettings { IotDataEndpoint = "abc123-ats.iot.eu-west-1.amazonaws.com" });
        var (_, fn) = known.Json.Single("AWS::Lambda::Function", "GatewayPressHandler");
        Assert.Equal("abc123-ats.iot.eu-west-1.amazonaws.com", fn.GetProperty("Environment").GetProperty("Variables").GetProperty("KB_IOT_DATA_ENDPOINT").GetString());
        Assert.False(PolicySimulator.IsAllowed(known.Json.RoleStatementsOfFunction("GatewayPressHandler"), "iot:DescribeEndpoint", "*"));
        Assert.True(PolicySimulator.IsAllowed(_stack.Json.RoleStatementsOfFunction("GatewayPressHandler"), "iot:DescribeEndpoint", "*"));
    }

    [Fact]
    public void Reserved_concurrency_is_left_to_the_account_unless_set()
    {
        var (_, fn) = _stack.Json.Single("AWS::Lambda::Function", "GatewayPressHandler");
        Assert.False(fn.TryGetProperty("ReservedConcurrentExecutions", out _));

        var limited = StackFixture.With(new StackSettings { PressHandlerReservedConcurrency = 20 });
        var (_, limitedFn) = limited.Json.Single("AWS::Lambda::Function", "GatewayPressHandler");
        Assert.Equal(20, limitedFn.GetProperty("ReservedConcurrentExecutions").GetInt32());
    }

    [Fact]
    public void A_press_whose_invocation_keeps_failing_ends_in_an_encrypted_two_week_queue()
    {
        var (_, config) = _stack.Json.Resources("AWS::Lambda::EventInvokeConfig")
            .Single(c => TemplateJson.Resolve(c.Properties.GetProperty("FunctionName")) == "ref:" + _stack.Json.Single("AWS::Lambda::Function", "GatewayPressHandler").Id);
        Assert.Equal(2, config.GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.Equal(21600, config.GetProperty("MaximumEventAgeInSeconds").GetInt32());
        string destination = TemplateJson.Resolve(config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination"));
        var (queueId, queue) = _stack.Json.Single("AWS::SQS::Queue", "GatewayPressFailures");
        Assert.Equal(queueId + ".Arn", destination);
        Assert.Equal(1209600, queue.GetProperty("MessageRetentionPeriod").GetInt32());
        Assert.True(queue.GetProperty("SqsManagedSseEnabled").GetBoolean());
    }

    [Fact]
    public void The_notifier_reads_the_pending_stream_with_retries_bisection_and_a_dead_letter_queue()
    {
        var (_, mapping) = Assert.Single(_stack.Json.Resources("AWS::Lambda::EventSourceMapping"));
        Assert.Equal(_stack.Json.Single("AWS::DynamoDB::Table", "TablesPendingTasks").Id + ".StreamArn", TemplateJson.Resolve(mapping.GetProperty("EventSourceArn")));
        Assert.Equal("ref:" + _stack.Json.Single("AWS::Lambda::Function", "GatewayNotifier").Id, TemplateJson.Resolve(mapping.GetProperty("FunctionName")));
        Assert.True(mapping.GetProperty("BisectBatchOnFunctionError").GetBoolean());
        Assert.Equal(5, mapping.GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.Equal(_stack.Json.Single("AWS::SQS::Queue", "GatewayNotifierFailures").Id + ".Arn",
            TemplateJson.Resolve(mapping.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination")));
    }

    [Fact]
    public void A_status_report_the_recorder_cannot_store_ends_in_its_own_queue()
    {
        var (_, config) = _stack.Json.Resources("AWS::Lambda::EventInvokeConfig")
            .Single(c => TemplateJson.Resolve(c.Properties.GetProperty("FunctionName")) == "ref:" + _stack.Json.Single("AWS::Lambda::Function", "GatewayStatusRecorder").Id);
        Assert.Equal(_stack.Json.Single("AWS::SQS::Queue", "GatewayStatusFailures").Id + ".Arn",
            TemplateJson.Resolve(config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination")));
    }

    /// <summary>
    /// IoT rules and EventBridge invoke a function asynchronously
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html): a rule target's own
    /// retries and dead-letter queue see only the handing over, so an event the function keeps
    /// failing on is kept only by the function's on-failure destination, or Lambda drops it after
    /// its retries. The sweep alone has none: its next run, five minutes on, does the same work.
    /// </summary>
    [Fact]
    public void Every_event_a_rule_hands_a_function_is_kept_in_a_queue_once_the_function_has_failed_it_every_time()
    {
        string sweep = _stack.Json.Single("AWS::Lambda::Function", "GatewaySilentButtonSweep").Id;
        string[] invokedByRules = _stack.Json.Resources("AWS::Lambda::Permission")
            .Where(p => p.Properties.GetProperty("Principal").GetString() is "iot.amazonaws.com" or "events.amazonaws.com")
            .Select(p => TemplateJson.Resolve(p.Properties.GetProperty("FunctionName")).Replace(".Arn", string.Empty, StringComparison.Ordinal))
            .Distinct()
            .Where(f => f != sweep)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            new[] { "GatewayOrderCleanup", "GatewayPressHandler", "GatewayStatusRecorder" }.Select(prefix => _stack.Json.Single("AWS::Lambda::Function", prefix).Id).Order(StringComparer.Ordinal),
            invokedByRules);
        foreach (string function in invokedByRules)
        {
            var (_, config) = Assert.Single(_stack.Json.Resources("AWS::Lambda::EventInvokeConfig"),
                c => TemplateJson.Resolve(c.Properties.GetProperty("FunctionName")) == "ref:" + function);
            string destination = TemplateJson.Resolve(config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination"));
            Assert.Contains(_stack.Json.Resources("AWS::SQS::Queue"), q => q.Id + ".Arn" == destination);
        }

        string cleanup = _stack.Json.Single("AWS::Lambda::Function", "GatewayOrderCleanup").Id;
        var (_, cleanupConfig) = _stack.Json.Resources("AWS::Lambda::EventInvokeConfig").Single(c => TemplateJson.Resolve(c.Properties.GetProperty("FunctionName")) == "ref:" + cleanup);
        Assert.Equal(_stack.Json.Single("AWS::SQS::Queue", "GatewayCleanupFailures").Id + ".Arn",
            TemplateJson.Resolve(cleanupConfig.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination")));
    }

    [Fact]
    public void Every_execution_that_ends_failed_timed_out_or_aborted_goes_to_the_order_cleanup()
    {
        var (_, rule) = _stack.Json.Resources("AWS::Events::Rule").Single(r => r.Properties.TryGetProperty("EventPattern", out _));
        JsonElement pattern = rule.GetProperty("EventPattern");
        Assert.Equal(new[] { "aws.states" }, TemplateJson.Strings(pattern.GetProperty("source")));
        Assert.Equal(new[] { "Step Functions Execution Status Change" }, TemplateJson.Strings(pattern.GetProperty("detail-type")));
        Assert.Equal(new[] { "FAILED", "TIMED_OUT", "ABORTED" }, TemplateJson.Strings(pattern.GetProperty("detail").GetProperty("status")));
        Assert.Equal("ref:" + _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders").Id,
            TemplateJson.Resolve(pattern.GetProperty("detail").GetProperty("stateMachineArn")[0]));
        JsonElement target = Assert.Single(rule.GetProperty("Targets").EnumerateArray());
        Assert.Equal(_stack.Json.Single("AWS::Lambda::Function", "GatewayOrderCleanup").Id + ".Arn", TemplateJson.Resolve(target.GetProperty("Arn")));
        Assert.Equal(_stack.Json.Single("AWS::SQS::Queue", "GatewayCleanupFailures").Id + ".Arn", TemplateJson.Resolve(target.GetProperty("DeadLetterConfig").GetProperty("Arn")));
        Assert.Equal("KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::OrderCleanupAsync",
            _stack.Json.Single("AWS::Lambda::Function", "GatewayOrderCleanup").Properties.GetProperty("Handler").GetString());
    }

    [Fact]
    public void The_silent_button_sweep_runs_every_five_minutes()
    {
        var (_, rule) = _stack.Json.Resources("AWS::Events::Rule").Single(r => r.Properties.TryGetProperty("ScheduleExpression", out _));
        Assert.Equal("rate(5 minutes)", rule.GetProperty("ScheduleExpression").GetString());
        Assert.Equal(_stack.Json.Single("AWS::Lambda::Function", "GatewaySilentButtonSweep").Id + ".Arn",
            TemplateJson.Resolve(Assert.Single(rule.GetProperty("Targets").EnumerateArray()).GetProperty("Arn")));
    }
}
