using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.LocalAws;

/// <summary>
/// Gives the local AWS endpoint what a deployed environment has around the gateway, named as the
/// CDK app names them (kitchenbutton-ENV-*): the press handler and the order clean-up as invocable
/// functions, the order workflow as a state machine, and the queues failed presses, health reports
/// and clean-ups land in.
/// </summary>
public static class LocalServices
{
    /// <summary>The statuses the deployed EventBridge rule sends to the order clean-up function (GatewayFunctions.EndedStatuses).</summary>
    public static readonly string[] EndedStatuses = { "FAILED", "TIMED_OUT", "ABORTED" };

    /// <summary>
    /// The press handler and the order clean-up as invocable functions, the failure queues, and the
    /// order workflow on the local Step Functions, answering every Step Functions call the endpoint
    /// gets. An execution that ends (failed, timed out, aborted) goes to the order clean-up function, as the deployed
    /// rule sends it.
    /// </summary>
    /// <param name="workflowDynamo">Where the workflow's DynamoDB tasks go; the gateway's DynamoDB unless given.</param>
    /// <param name="time">The workflow's clock; the real one unless given.</param>
    public static LocalOrderWorkflow Connect(LocalGateway gateway, string environment, Uri? workflowDynamo = null, TimeProvider? time = null, Action<KitchenButton.StepFunctions.Integrations.RecordedCall>? show = null)
    {
        LocalAwsEndpoint aws = gateway.Aws;
        var names = new ResourceNames(environment);
        var functions = new Functions(gateway.Composition);
        aws.Functions.Register(names.PressFunction, request => functions.InvokeAsync(nameof(Functions.PressAsync), request, deadline: null));
        aws.Functions.Register(names.CleanupFunction, request => functions.InvokeAsync(nameof(Functions.OrderCleanupAsync), request, deadline: null));
        aws.Queues.Create(names.PressFailuresQueue, aws.BaseUri);
        aws.Queues.Create(names.RuleErrorsQueue, aws.BaseUri);
        aws.Queues.Create(names.StatusFailuresQueue, aws.BaseUri);
        aws.Queues.Create(names.CleanupFailuresQueue, aws.BaseUri);

        LocalOrderWorkflow workflow = LocalOrderWorkflow.Create(gateway.Tables, environment, workflowDynamo ?? gateway.DynamoEndpoint, time ?? TimeProvider.System, show: show);
        aws.StepFunctions = workflow.Api;
        RouteEndedExecutions(workflow, aws, environment, json => functions.InvokeAsync(nameof(Functions.OrderCleanupAsync), json, deadline: null), TextWriter.Null);
        return workflow;
    }

    /// <summary>
    /// Ended executions go to the order clean-up through <paramref name="invoke"/> (the event),
    /// asynchronously as EventBridge invokes it: retried twice, then kept in the cleanup-failures
    /// queue as Lambda's on-failure destination record. The execution's end waits for this, so a
    /// run that sees an order end sees its clean-up done (or kept).
    /// </summary>
    public static void RouteEndedExecutions(LocalOrderWorkflow workflow, LocalAwsEndpoint aws, string environment, Func<byte[], Task> invoke, TextWriter log)
    {
        workflow.Service.ExecutionEnded = async (execution, statusChange) =>
        {
            if (Array.IndexOf(EndedStatuses, execution.Status.ToString()) >= 0)
            {
                byte[] ended = System.Text.Encoding.UTF8.GetBytes(statusChange);
                await LocalAsyncInvocation.RunAsync(
                    () => invoke(ended),
                    e => log.WriteLine("order clean-up: retrying after " + e.GetType().Name + ": " + e.Message),
                    (e, attempts) =>
                    {
                        log.WriteLine("order clean-up: gave up on " + execution.Arn + ": " + e.GetType().Name);
                        aws.Queues.Send(new ResourceNames(environment).CleanupFailuresQueue, FailureRecord(new ResourceNames(environment).CleanupFunction, ended, e, attempts));
                    });
            }
        };
    }

    /// <summary>
    /// The record Lambda sends to an on-failure destination once an asynchronous invocation has used
    /// its retries (docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    /// </summary>
    public static string FailureRecord(string function, byte[] requestPayload, Exception error, int attempts)
    {
        using var doc = JsonDocument.Parse(requestPayload);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = "1.0",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["requestContext"] = new Dictionary<string, object>
            {
                ["requestId"] = Guid.NewGuid().ToString(),
                ["functionArn"] = "arn:aws:lambda:eu-west-1:123456789012:function:" + function + ":$LATEST",
                ["condition"] = "RetriesExhausted",
                ["approximateInvokeCount"] = attempts,
            },
            ["requestPayload"] = doc.RootElement.Clone(),
            ["responseContext"] = new Dictionary<string, object> { ["statusCode"] = 200, ["executedVersion"] = "$LATEST", ["functionError"] = "Unhandled" },
            ["responsePayload"] = new Dictionary<string, string> { ["errorType"] = error.GetType().Name, ["errorMessage"] = error.Message },
        });
    }

    /// <summary>
    /// The message the press rule's error action sends to the rule-errors queue when it could not
    /// invoke the press handler: the board's own payload, base64, and why the action failed
    /// (docs.aws.amazon.com/iot/latest/developerguide/rule-error-handling.html).
    /// </summary>
    public static string RuleErrorRecord(string environment, Press press, string errorMessage)
    {
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ruleName"] = "kitchenbutton_" + environment.Replace('-', '_') + "_press",
            ["topic"] = "dt/kitchenbutton/" + press.Thing + "/press",
            ["clientId"] = press.Thing,
            ["base64OriginalPayload"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PressEvents.DevicePayload(press))),
            ["failures"] = new[]
            {
                new Dictionary<string, string> { ["failedAction"] = "LambdaAction", ["failedResource"] = new ResourceNames(environment).PressFunction, ["errorMessage"] = errorMessage },
            },
        });
    }
}
