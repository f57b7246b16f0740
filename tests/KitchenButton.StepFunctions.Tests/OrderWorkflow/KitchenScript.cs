using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;

namespace KitchenButton.StepFunctions.Tests.OrderWorkflow;

/// <summary>One task call the order workflow made: the resource and its arguments.</summary>
public sealed record KitchenCall(string Service, string Action, string? Pattern, JsonObject Arguments)
{
    public bool IsWait => Pattern == "waitForTaskToken";

    public string Station => Arguments["Item"]?["stationId"]?["S"]?.GetValue<string>() ?? Arguments["Key"]!["stationId"]!["S"]!.GetValue<string>();
}

/// <summary>
/// Every service the order workflow calls, answered as AWS answers: the stations table's getItem,
/// the tickets' put (the kitchen step, left waiting for its token) and delete, the alert and the
/// metric. A service can be made to fail with the error Step Functions gives its failure.
/// </summary>
public sealed class KitchenScript : ITaskIntegration
{
    private readonly ConcurrentQueue<KitchenCall> _calls = new();
    private readonly Dictionary<string, JsonObject> _stations;

    public KitchenScript(Dictionary<string, JsonObject> stations) => _stations = stations;

    /// <summary>putMetricData fails with this error (a CloudWatch outage), when set.</summary>
    public string? MetricsError { get; set; }

    public IReadOnlyList<KitchenCall> Calls => _calls.ToArray();

    public IReadOnlyList<KitchenCall> Waits => Calls.Where(c => c.IsWait).ToArray();

    public bool Handles(TaskResource resource) =>
        resource.Service is "dynamodb" or "aws-sdk:dynamodb" or "sns" or "aws-sdk:cloudwatch";

    public Task<JsonNode?> CallAsync(TaskResource resource, JsonNode? arguments, CancellationToken cancellationToken)
    {
        JsonObject args = arguments?.DeepClone().AsObject() ?? new JsonObject();
        _calls.Enqueue(new KitchenCall(resource.Service, resource.Action, resource.Pattern, args));
        switch (resource.Service + ":" + resource.Action)
        {
            case "dynamodb:getItem":
                string station = args["Key"]!["stationId"]!["S"]!.GetValue<string>();
                return Task.FromResult<JsonNode?>(_stations.TryGetValue(station, out JsonObject? item) ? new JsonObject { ["Item"] = item.DeepClone() } : new JsonObject());
            case "aws-sdk:cloudwatch:putMetricData" when MetricsError != null:
                throw new StatesError(MetricsError, "down");
            case "sns:publish":
                return Task.FromResult<JsonNode?>(new JsonObject { ["MessageId"] = "m-1" });
            default:
                return Task.FromResult<JsonNode?>(new JsonObject());
        }
    }
}
