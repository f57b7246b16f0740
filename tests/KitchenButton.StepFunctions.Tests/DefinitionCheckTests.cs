using System.Collections.Generic;
using System.IO;
using System.Linq;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Definition;
using KitchenButton.StepFunctions.Jsonata;
using Xunit;

namespace KitchenButton.StepFunctions.Tests;

/// <summary>
/// A definition the local engine cannot run whole is refused at creation with what and where, never
/// ignored or half run; the project's own workflow is accepted.
/// </summary>
public sealed class DefinitionCheckTests : System.IDisposable
{
    private readonly JsonataEngine _jsonata = new(JsonataEngineTests.Bundle);

    public void Dispose() => _jsonata.Dispose();

    private IReadOnlyList<DefinitionProblem> Check(string json) => DefinitionCheck.Check(json, _jsonata);

    private static string Machine(string state, string extraStates = "") => """
        {"QueryLanguage":"JSONata","StartAt":"A","States":{"A":
        """ + state + (extraStates.Length > 0 ? "," + extraStates : string.Empty) + "}}";

    [Fact]
    public void The_projects_order_workflow_is_accepted_and_every_expression_compiled()
    {
        string workflow = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "gateway", "workflow", "order-workflow.asl.json"));

        // The substitutions the CDK app gives it (OrderWorkflow.Substitutions), with a local stack's values.
        var substitutions = new Dictionary<string, string>
        {
            ["StationsTable"] = "kitchenbutton-local-stations",
            ["PendingTasksTable"] = "kitchenbutton-local-pending-tasks",
            ["DefaultPrepTimeoutSeconds"] = "1800",
            ["MaxPrepAttempts"] = "2",
            ["MaxStationsPerOrder"] = "10",
            ["MetricNamespace"] = "KitchenButton/local",
            ["KitchenAlertTopicArn"] = "arn:aws:sns:eu-west-1:123456789012:kitchenbutton-local-kitchen-alerts",
        };

        IReadOnlyList<DefinitionProblem> problems = DefinitionCheck.Check(workflow, substitutions, _jsonata);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(Expressions(System.Text.Json.JsonDocument.Parse(workflow).RootElement).Select(e => e[2..^2].Trim()).Distinct().Count(), _jsonata.CompiledCount);
        Assert.Contains(DefinitionCheck.Check(workflow, new Dictionary<string, string>(), _jsonata), p => p.Message.Contains("${MaxPrepAttempts}", System.StringComparison.Ordinal));
    }

    /// <summary>Every "{% ... %}" string in a definition.</summary>
    private static IEnumerable<string> Expressions(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String when element.GetString()!.StartsWith("{%", System.StringComparison.Ordinal) => new[] { element.GetString()! },
        System.Text.Json.JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Expressions(p.Value)),
        System.Text.Json.JsonValueKind.Array => element.EnumerateArray().SelectMany(Expressions),
        _ => Enumerable.Empty<string>(),
    };

    [Fact]
    public void A_JSONPath_field_in_JSONata_mode_is_named()
    {
        DefinitionProblem problem = Assert.Single(Check(Machine("""{"Type":"Pass","ResultPath":"$.x","End":true}""")));
        Assert.Equal("$.States.A.ResultPath", problem.Path);
        Assert.Contains("JSONPath field", problem.Message);
    }

    [Theory]
    [InlineData("arn:aws:states:::lambda:invoke")]
    [InlineData("arn:aws:states:::dynamodb:putItem.waitForTaskToken")]
    [InlineData("arn:aws:states:::aws-sdk:s3:getObject")]
    [InlineData("arn:aws:lambda:eu-west-1:123456789012:function:f")]
    public void An_integration_the_engine_does_not_run_is_named(string resource)
    {
        DefinitionProblem problem = Assert.Single(Check(Machine("""{"Type":"Task","Resource":"RESOURCE","End":true}""".Replace("RESOURCE", resource, System.StringComparison.Ordinal))));
        Assert.Equal("$.States.A.Resource", problem.Path);
        Assert.Contains(resource, problem.Message);
    }

    [Theory]
    [InlineData("arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken")]
    [InlineData("arn:aws:states:::aws-sdk:dynamodb:query")]
    [InlineData("arn:aws:states:::dynamodb:getItem")]
    [InlineData("arn:aws:states:::sns:publish")]
    public void The_integrations_it_runs_are_accepted(string resource)
    {
        Assert.Empty(Check(Machine("""{"Type":"Task","Resource":"RESOURCE","Arguments":{"TableName":"t"},"End":true}""".Replace("RESOURCE", resource, System.StringComparison.Ordinal))));
    }

    [Fact]
    public void A_distributed_map_an_unknown_state_type_and_a_missing_target_are_each_named()
    {
        IReadOnlyList<DefinitionProblem> problems = Check(Machine(
            """{"Type":"Map","Items":"{% $states.input.items %}","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Next":"B"}""",
            "\"B\":{\"Type\":\"Sleep\",\"Next\":\"Nowhere\"}"));

        Assert.Contains(problems, p => p.Path == "$.States.A.ItemProcessor.ProcessorConfig.Mode" && p.Message.Contains("DISTRIBUTED", System.StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.States.B.Type" && p.Message.Contains("'Sleep'", System.StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void JSONata_that_does_not_compile_or_needs_a_Step_Functions_function_is_named_with_its_place()
    {
        IReadOnlyList<DefinitionProblem> problems = Check(Machine(
            """{"Type":"Pass","Output":{"id":"{% $uuid() %}","n":"{% $count(items %}"},"Assign":{"ok":"{% $states.input.a %}"},"End":true}"""));

        Assert.Contains(problems, p => p.Path == "$.States.A.Output.id" && p.Message.Contains("$uuid", System.StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.States.A.Output.n" && p.Message.Contains("does not compile", System.StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void A_definition_in_JSONPath_mode_is_refused_as_a_whole()
    {
        Assert.Contains(Check("""{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"""), p => p.Path == "$.QueryLanguage");
        Assert.Equal("$", Assert.Single(Check("not json")).Path);
    }

    [Fact]
    public void Retry_and_Catch_fields_are_checked_and_a_Catch_must_lead_somewhere()
    {
        IReadOnlyList<DefinitionProblem> problems = Check(Machine(
            """{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Retry":[{"ErrorEquals":["States.ALL"],"JitterStrategy":"SOMETIMES"}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Gone","ResultPath":"$.e"}],"End":true}"""));

        Assert.Contains(problems, p => p.Path == "$.States.A.Retry[0].JitterStrategy");
        Assert.Contains(problems, p => p.Path == "$.States.A.Catch[0].Next");
        Assert.Contains(problems, p => p.Path == "$.States.A.Catch[0].ResultPath");
        Assert.Equal(3, problems.Count);
    }
}
