using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

public sealed class SettingsTests
{
    private static StackSettings From(Dictionary<string, string> context) => StackSettings.FromContext(k => context.TryGetValue(k, out string? v) ? v : null);

    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        StackSettings s = From(new());
        Assert.Equal("dev", s.EnvironmentName);
        Assert.Equal(1800, s.DefaultPrepTimeoutSeconds);
        Assert.Equal(2, s.MaxPrepAttempts);
        Assert.Null(s.PressHandlerReservedConcurrency);
        Assert.Null(s.AlarmEmail);
        Assert.False(s.IsProduction);
        Assert.Equal(GatewayRuntime.Aot, s.Runtime);
        Assert.Equal(GatewayArchitecture.Arm64, s.Architecture);
    }

    [Fact]
    public void Every_invalid_value_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => From(new()
        {
            ["environment"] = "Prod!",
            ["alarmEmail"] = "not-an-address",
            ["defaultPrepTimeoutSeconds"] = "10",
            ["maxPrepAttempts"] = "many",
            ["pressHandlerReservedConcurrency"] = "0",
            ["iotDataEndpoint"] = "https://abc.example.com",
            ["gatewayRuntime"] = "jit",
            ["gatewayArchitecture"] = "x64",
        }));
        foreach (string key in new[] { "environment", "alarmEmail", "defaultPrepTimeoutSeconds", "maxPrepAttempts", "pressHandlerReservedConcurrency", "iotDataEndpoint", "gatewayRuntime", "gatewayArchitecture" })
        {
            Assert.Contains(key, e.Message);
        }
    }

    [Fact]
    public void Context_values_reach_the_stack()
    {
        StackSettings s = From(new() { ["environment"] = "staging", ["defaultPrepTimeoutSeconds"] = "900", ["maxPrepAttempts"] = "3" });
        var stack = StackFixture.With(s);
        var (_, machine) = stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        Assert.Equal("kitchenbutton-staging-orders", machine.GetProperty("StateMachineName").GetString());
        Assert.Equal("900", machine.GetProperty("DefinitionSubstitutions").GetProperty("DefaultPrepTimeoutSeconds").GetString());
        Assert.Equal("3", machine.GetProperty("DefinitionSubstitutions").GetProperty("MaxPrepAttempts").GetString());
    }

    [Fact]
    public void Production_keeps_its_data_when_the_stack_goes()
    {
        var prod = StackFixture.With(new StackSettings { EnvironmentName = "prod" });
        foreach (var (id, table) in prod.Json.Resources("AWS::DynamoDB::Table"))
        {
            Assert.Equal("Retain", prod.Json.Resource(id).GetProperty("DeletionPolicy").GetString());
            if (!id.StartsWith("TablesPressLedger", StringComparison.Ordinal))
            {
                Assert.True(table.GetProperty("DeletionProtectionEnabled").GetBoolean(), id);
            }
        }

        Assert.Equal("KitchenButtonDevice-prod", prod.Json.Resources("AWS::IoT::Policy").Single().Properties.GetProperty("PolicyName").GetString());
    }

    [Fact]
    public void Dev_and_prod_keep_their_metrics_apart()
    {
        Assert.Equal("KitchenButton/dev", new StackSettings().MetricNamespace);
        var prod = StackFixture.With(new StackSettings { EnvironmentName = "prod" });
        var (_, machine) = prod.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        Assert.Equal("KitchenButton/prod", machine.GetProperty("DefinitionSubstitutions").GetProperty("MetricNamespace").GetString());
        Assert.All(prod.Json.Resources("AWS::CloudWatch::Alarm").Select(a => a.Properties).Where(a => a.TryGetProperty("Namespace", out JsonElement n) && n.GetString()!.StartsWith("KitchenButton", StringComparison.Ordinal)),
            a => Assert.Equal("KitchenButton/prod", a.GetProperty("Namespace").GetString()));
    }
}
