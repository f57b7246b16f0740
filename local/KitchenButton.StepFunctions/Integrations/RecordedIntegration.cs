using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.StepFunctions.Integrations;

/// <summary>One call a <see cref="RecordedIntegration"/> took: the resource's service and action, and the arguments.</summary>
public sealed record RecordedCall(string Service, string Action, string Arguments);

/// <summary>
/// Services with no local counterpart, whose effect is only to be seen: sns:publish (the kitchen
/// alerts) and aws-sdk:cloudwatch:putMetricData (the timeout metric). Each call is kept and shown,
/// and answered with the response shape the service has.
/// </summary>
public sealed class RecordedIntegration : ITaskIntegration
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly Action<RecordedCall>? _show;

    /// <param name="show">Called with each call as it is taken (the local stack prints alerts).</param>
    public RecordedIntegration(Action<RecordedCall>? show = null) => _show = show;

    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    public bool Handles(TaskResource resource) =>
        (resource.Service == "sns" && resource.Action == "publish" && resource.Pattern is null)
        || (resource.Service == "aws-sdk:cloudwatch" && resource.Action == "putMetricData" && resource.Pattern is null);

    public Task<JsonNode?> CallAsync(TaskResource resource, JsonNode? arguments, CancellationToken cancellationToken)
    {
        var call = new RecordedCall(resource.Service, resource.Action, arguments?.ToJsonString() ?? "{}");
        _calls.Enqueue(call);
        _show?.Invoke(call);
        JsonNode? result = resource.Service == "sns"
            ? new JsonObject { ["MessageId"] = Guid.NewGuid().ToString() }
            : new JsonObject();
        return Task.FromResult<JsonNode?>(result);
    }
}
