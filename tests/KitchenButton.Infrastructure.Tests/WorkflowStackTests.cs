using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using KitchenButton.Infrastructure.Constructs;
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

[Collection(StackCollection.Name)]
public sealed class WorkflowStackTests
{
    private readonly StackFixture _stack;

    public WorkflowStackTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public void The_order_workflow_is_a_standard_state_machine_built_from_the_repository_file()
    {
        var (_, machine) = _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        Assert.Equal("STANDARD", machine.GetProperty("StateMachineType").GetString());
        Assert.Equal("kitchenbutton-dev-orders", machine.GetProperty("StateMachineName").GetString());
        string definition = TemplateJson.Resolve(machine.GetProperty("DefinitionString"));
        Assert.Equal(File.ReadAllText(OrderWorkflow.DefinitionPath), definition);
        Assert.Contains("\"QueryLanguage\": \"JSONata\"", definition);
        Assert.True(machine.GetProperty("TracingConfiguration").GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public void Every_placeholder_of_the_definition_is_substituted_and_nothing_else()
    {
        var (_, machine) = _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        var placeholders = Regex.Matches(File.ReadAllText(OrderWorkflow.DefinitionPath), @"\$\{([A-Za-z0-9]+)\}").Select(m => m.Groups[1].Value).Distinct().OrderBy(n => n);
        var substituted = machine.GetProperty("DefinitionSubstitutions").EnumerateObject().Select(p => p.Name).OrderBy(n => n);
        Assert.Equal(placeholders, substituted);

        JsonElement values = machine.GetProperty("DefinitionSubstitutions");
        Assert.Equal("ref:" + _stack.Json.Single("AWS::DynamoDB::Table", "TablesPendingTasks").Id, TemplateJson.Resolve(values.GetProperty("PendingTasksTable")));
        Assert.Equal("ref:" + _stack.Json.Single("AWS::DynamoDB::Table", "TablesStations").Id, TemplateJson.Resolve(values.GetProperty("StationsTable")));
        Assert.Equal("ref:" + _stack.Json.Single("AWS::SNS::Topic", "WorkflowKitchenAlerts").Id, TemplateJson.Resolve(values.GetProperty("KitchenAlertTopicArn")));
        Assert.Equal("1800", values.GetProperty("DefaultPrepTimeoutSeconds").GetString());
        Assert.Equal("2", values.GetProperty("MaxPrepAttempts").GetString());
    }

    [Fact]
    public void The_workflow_names_its_placeholders_as_the_node_tests_substitute_them()
    {
        string nodeTest = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "node", "workflow", "order-workflow.test.mjs"));
        var (_, machine) = _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        foreach (JsonProperty p in machine.GetProperty("DefinitionSubstitutions").EnumerateObject())
        {
            Assert.Matches(@"\n  " + p.Name + ": \"", nodeTest);
        }
    }

    [Fact]
    public void Execution_logs_carry_errors_without_execution_data()
    {
        var (_, machine) = _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        JsonElement logging = machine.GetProperty("LoggingConfiguration");
        Assert.Equal("ERROR", logging.GetProperty("Level").GetString());
        Assert.False(logging.GetProperty("IncludeExecutionData").GetBoolean());
    }
}
