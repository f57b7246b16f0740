using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Api;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.StepFunctions.Tests;

/// <summary>
/// The local Step Functions' API driven by an AWS SDK (boto3, through botocore's own signing, protocol
/// and error mapping) over HTTP, on the real clock: create, start, history, answers with their
/// documented error codes, describe, list, stop.
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
/// </summary>
[Trait(Tier.Name, Tier.Outer)]
public sealed class ApiWithBoto3Tests
{
    [SkippableFact]
    public async Task An_AWS_SDK_drives_a_task_token_workflow_from_creation_to_its_end()
    {
        string? missing = Prerequisites.Missing("boto3");
        Skip.If(missing != null, missing);
        using var jsonata = new JsonataEngine(JsonataEngineTests.Bundle);
        var service = new LocalStepFunctions(jsonata, new ITaskIntegration[] { new Support.ScriptedIntegration() }, TimeProvider.System);
        await using var endpoint = new LocalAwsEndpoint { StepFunctions = new StepFunctionsApi(service) };

        string script = Path.Combine(RepositoryPaths.Root, "tests", "python", "stepfunctions_api.py");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(endpoint.BaseUri.ToString().TrimEnd('/'));
        using Process python = Process.Start(start)!;
        Task<string> stdout = python.StandardOutput.ReadToEndAsync();
        Task<string> stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(python.ExitCode == 0, await stderr);

        using JsonDocument seen = JsonDocument.Parse(await stdout);
        JsonElement r = seen.RootElement;
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:stateMachine:orders", r.GetProperty("machineArn").GetString());
        Assert.True(r.GetProperty("creationDateIsDatetime").GetBoolean());
        Assert.True(r.GetProperty("describedDefinitionSame").GetBoolean());
        Assert.Equal("InvalidDefinition", r.GetProperty("badDefinition").GetString());
        Assert.Equal("StateMachineDoesNotExist", r.GetProperty("missingMachine").GetString());
        Assert.Equal("ExecutionAlreadyExists", r.GetProperty("sameNameOtherInput").GetString());
        Assert.Equal("RUNNING", r.GetProperty("running").GetString());
        Assert.Equal("ok", r.GetProperty("heartbeat").GetString());
        Assert.Equal("InvalidOutput", r.GetProperty("badOutput").GetString());
        Assert.Equal("InvalidToken", r.GetProperty("invalidToken").GetString());
        Assert.Equal("ok", r.GetProperty("success").GetString());
        Assert.Equal("TaskTimedOut", r.GetProperty("again").GetString());
        Assert.Equal("SUCCEEDED", r.GetProperty("status").GetString());
        Assert.Equal("""{"order":"ord-1","by":"pizza-oven-1"}""", r.GetProperty("output").GetRawText());
        Assert.True(r.GetProperty("stopDateAfterStart").GetBoolean());
        Assert.Equal(
            new[] { "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded" },
            r.GetProperty("historyTypes").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.Equal("ExecutionSucceeded", r.GetProperty("newest").GetProperty("type").GetString());
        Assert.False(r.GetProperty("newest").GetProperty("hasOutput").GetBoolean());
        Assert.Equal("ABORTED", r.GetProperty("stopped").GetProperty("status").GetString());
        Assert.Equal("Order.Cancelled", r.GetProperty("stopped").GetProperty("error").GetString());
        Assert.Equal("""[["ord-1","SUCCEEDED"],["ord-2","ABORTED"]]""", r.GetProperty("listed").GetRawText());
        Assert.Equal("""["ord-2"]""", r.GetProperty("listedAborted").GetRawText());
        Assert.Equal("""["orders"]""", r.GetProperty("machines").GetRawText());
    }
}
