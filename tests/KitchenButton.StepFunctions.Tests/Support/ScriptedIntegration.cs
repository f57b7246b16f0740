using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;

namespace KitchenButton.StepFunctions.Tests.Support;

/// <summary>
/// The AWS SDK DynamoDB integration answered by the test: each call takes the next scripted answer
/// for its action (an error name fails the task with it); with none left, the arguments come back.
/// </summary>
public sealed class ScriptedIntegration : ITaskIntegration
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string?>> _failures = new();
    private readonly ConcurrentQueue<(string Action, string Arguments)> _calls = new();

    public IReadOnlyList<(string Action, string Arguments)> Calls => _calls.ToArray();

    /// <summary>The next calls of <paramref name="action"/> fail with these errors, in order.</summary>
    public void FailNext(string action, params string[] errors)
    {
        ConcurrentQueue<string?> queue = _failures.GetOrAdd(action, _ => new ConcurrentQueue<string?>());
        foreach (string error in errors)
        {
            queue.Enqueue(error);
        }
    }

    public bool Handles(TaskResource resource) => resource.Service == "aws-sdk:dynamodb";

    public Task<JsonNode?> CallAsync(TaskResource resource, JsonNode? arguments, CancellationToken cancellationToken)
    {
        _calls.Enqueue((resource.Action, arguments?.ToJsonString() ?? "null"));
        if (_failures.TryGetValue(resource.Action, out ConcurrentQueue<string?>? queue) && queue.TryDequeue(out string? error) && error is not null)
        {
            throw new StatesError(error, "scripted failure of " + resource.Action);
        }

        return Task.FromResult(arguments?.DeepClone());
    }
}
