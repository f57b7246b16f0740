using System;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// Lambda's asynchronous invocation, the way IoT rules and EventBridge hand a function its event
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html): on an error the event is
/// run twice more, then given up and handed to the function's on-failure destination. Lambda waits
/// one and then two minutes; the local stack waits seconds.
/// </summary>
public static class LocalAsyncInvocation
{
    /// <summary>The waits before the two retries, shortened from Lambda's one and two minutes.</summary>
    public static readonly TimeSpan[] RetryDelays = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) };

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or has failed three times; then
    /// <paramref name="gaveUp"/> gets the last error and the number of attempts. Never throws.
    /// </summary>
    /// <param name="retrying">Told of each error that will be retried.</param>
    public static async Task<bool> RunAsync(Func<Task> attempt, Action<Exception> retrying, Action<Exception, int> gaveUp)
    {
        for (int tried = 0; ; tried++)
        {
            try
            {
                await attempt();
                return true;
            }
            catch (Exception e) when (tried < RetryDelays.Length)
            {
                retrying(e);
                await Task.Delay(RetryDelays[tried]);
            }
            catch (Exception e)
            {
                gaveUp(e, tried + 1);
                return false;
            }
        }
    }
}
