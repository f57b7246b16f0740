using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Answers;

/// <summary>
/// Step Functions as the gateway uses it: answer a task, and read an execution's own record of how
/// its tasks were answered. Implementations throw <see cref="TaskAnswerException"/> with a
/// classified error.
/// </summary>
public interface ITaskAnswers
{
    Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken);

    Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the execution's history holds an answer carrying this press id (the success output's
    /// <c>pressId</c>, or the failure cause's <c>(press id)</c>): the only sure way to learn if an
    /// answer of unknown outcome landed.
    /// </summary>
    Task<bool> WasAnsweredByAsync(string executionArn, string pressId, CancellationToken cancellationToken);
}
