using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.StepFunctions.Integrations;

/// <summary>
/// A Task state's resource, split: arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken is
/// service "aws-sdk:dynamodb", action "putItem", pattern "waitForTaskToken"; the history shows the
/// service as resourceType and action+pattern as resource.
/// </summary>
public sealed record TaskResource(string Service, string Action, string? Pattern)
{
    private const string Prefix = "arn:aws:states:::";

    public string HistoryResource => Pattern is null ? Action : Action + "." + Pattern;

    public bool WaitsForToken => Pattern == "waitForTaskToken";

    public static TaskResource? Parse(string arn)
    {
        if (!arn.StartsWith(Prefix, System.StringComparison.Ordinal))
        {
            return null;
        }

        string rest = arn[Prefix.Length..];
        int colon = rest.LastIndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        string action = rest[(colon + 1)..];
        int dot = action.IndexOf('.', System.StringComparison.Ordinal);
        return dot < 0 ? new TaskResource(rest[..colon], action, null) : new TaskResource(rest[..colon], action[..dot], action[(dot + 1)..]);
    }
}

/// <summary>A service a Task state calls; it fails with a <see cref="Engine.StatesError"/> named as Step Functions names the service's errors.</summary>
public interface ITaskIntegration
{
    bool Handles(TaskResource resource);

    Task<JsonNode?> CallAsync(TaskResource resource, JsonNode? arguments, CancellationToken cancellationToken);
}
