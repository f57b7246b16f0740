using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Storage;
using KitchenButton.StepFunctions.Api;
using KitchenButton.StepFunctions.Definition;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;

namespace KitchenButton.LocalAws;

/// <summary>
/// The project's own order workflow (gateway/workflow/order-workflow.asl.json) on the local Step
/// Functions, created with the substitutions the CDK app gives it and named as a deployed
/// environment's (kitchenbutton-ENV-orders), its DynamoDB tasks against the stack's DynamoDB and its
/// alerts and metrics recorded.
/// </summary>
public sealed class LocalOrderWorkflow : IDisposable
{
    private readonly JsonataEngine _jsonata;
    private readonly HttpClient _http;

    private LocalOrderWorkflow(JsonataEngine jsonata, HttpClient http, LocalStepFunctions service, StateMachine machine, RecordedIntegration recorded)
    {
        _jsonata = jsonata;
        _http = http;
        Service = service;
        Machine = machine;
        Recorded = recorded;
        Api = new StepFunctionsApi(service);
    }

    public static string DefinitionPath => Path.Combine(RepositoryPaths.Root, "gateway", "workflow", "order-workflow.asl.json");

    /// <summary>The jsonata package's own bundle: the reference implementation the engine evaluates with.</summary>
    public static string JsonataBundle => Path.Combine(RepositoryPaths.NodeTools, "node_modules", "jsonata", "jsonata.js");

    public LocalStepFunctions Service { get; }

    public StepFunctionsApi Api { get; }

    public StateMachine Machine { get; }

    /// <summary>The kitchen alerts (sns:publish) and metrics (cloudwatch:putMetricData) the workflow sent.</summary>
    public RecordedIntegration Recorded { get; }

    /// <param name="dynamo">Where the workflow's DynamoDB tasks go (the stack's stream proxy, so its writes reach the notifier).</param>
    /// <param name="prepAttempts">MaxPrepAttempts (the CDK app's default is 2).</param>
    public static LocalOrderWorkflow Create(GatewayTables tables, string environment, Uri dynamo, TimeProvider time, int prepAttempts = 2, Action<RecordedCall>? show = null, Random? random = null)
    {
        var jsonata = new JsonataEngine(JsonataBundle);
        var recorded = new RecordedIntegration(show);
        var http = new HttpClient();
        var service = new LocalStepFunctions(jsonata, new ITaskIntegration[] { new DynamoDbIntegration(http, dynamo), recorded }, time, random: random);
        Dictionary<string, string> values = OrderWorkflowSubstitutions.For(tables.Stations, tables.Tickets, 1800, prepAttempts,
            GatewayTelemetry.NamespaceFor(environment), "arn:aws:sns:" + service.Region + ":" + service.Account + ":" + new ResourceNames(environment).KitchenAlertsTopic);
        var problems = new List<DefinitionProblem>();
        string definition = DefinitionSubstitutions.Apply(File.ReadAllText(DefinitionPath), values, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("the order workflow's substitutions are incomplete: " + string.Join("; ", problems));
        }

        StateMachine machine = service.CreateStateMachine(new ResourceNames(environment).StateMachine, definition, "arn:aws:iam::" + service.Account + ":role/kitchenbutton-" + environment + "-orders");
        return new LocalOrderWorkflow(jsonata, http, service, machine, recorded);
    }

    /// <summary>Starts an order execution (StartExecution), named by its order id.</summary>
    public Execution StartOrder(string orderId, string orderJson) => Service.StartExecution(Machine.Arn, orderId, orderJson);

    /// <summary>Starts an order for one station and waits until its ticket is parked there.</summary>
    public async System.Threading.Tasks.Task<Execution> StartParkedOrderAsync(string orderId, string stationId, string item = "margherita")
    {
        Execution execution = StartOrder(orderId, "{\"orderId\":\"" + orderId + "\",\"station\":\"" + stationId + "\",\"items\":[{\"name\":\"" + item + "\",\"qty\":1}]}");
        return await WaitUntilParkedAsync(execution, 1, TimeSpan.FromSeconds(15))
            ? execution
            : throw new InvalidOperationException("order " + orderId + " did not park: " + execution.Status + " " + execution.Error + " " + execution.Cause);
    }

    /// <summary>Waits until the execution has submitted <paramref name="waits"/> kitchen waits in all (one per station parked at, one more per requeue).</summary>
    public static async System.Threading.Tasks.Task<bool> WaitUntilParkedAsync(Execution execution, int waits, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            int submitted = 0;
            foreach (ExecutionEvent e in execution.History.Events)
            {
                submitted += e.Type == "TaskSubmitted" ? 1 : 0;
            }

            if (submitted >= waits)
            {
                return true;
            }

            await System.Threading.Tasks.Task.Delay(20);
        }

        return false;
    }

    public void Dispose()
    {
        _jsonata.Dispose();
        _http.Dispose();
    }
}
