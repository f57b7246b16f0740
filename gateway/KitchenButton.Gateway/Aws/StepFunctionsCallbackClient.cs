using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Callbacks;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// Step Functions' callback operations over the awsJson1_0 protocol (POST /, X-Amz-Target:
/// AWSStepFunctions.{Operation}), signed for "states". Stands in for AWSSDK.StepFunctions, which is
/// not available here; swapping it in is a change to this class only.
/// </summary>
public sealed class StepFunctionsCallbackClient : ITaskCallbacks
{
    public const string SigningService = "states";
    private const string ContentType = "application/x-amz-json-1.0";

    private readonly SignedAwsHttpClient _client;

    public StepFunctionsCallbackClient(SignedAwsHttpClient client)
    {
        _client = client;
    }

    public Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken)
    {
        return CallAsync("SendTaskSuccess", json =>
        {
            json.WriteString("taskToken", taskToken);
            json.WriteString("output", outputJson);
        }, cancellationToken);
    }

    public Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken)
    {
        return CallAsync("SendTaskFailure", json =>
        {
            json.WriteString("taskToken", taskToken);
            json.WriteString("error", error);
            json.WriteString("cause", cause);
        }, cancellationToken);
    }

    public Task SendTaskHeartbeatAsync(string taskToken, CancellationToken cancellationToken)
    {
        return CallAsync("SendTaskHeartbeat", json => json.WriteString("taskToken", taskToken), cancellationToken);
    }

    private async Task CallAsync(string operation, System.Action<Utf8JsonWriter> writeFields, CancellationToken cancellationToken)
    {
        byte[] body;
        using (var stream = new MemoryStream(512))
        {
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                writeFields(json);
                json.WriteEndObject();
            }

            body = stream.ToArray();
        }

        try
        {
            await _client.SendAsync(HttpMethod.Post, "/", body, ContentType, "AWSStepFunctions." + operation, cancellationToken);
        }
        catch (AwsServiceException e) when (e.AfterUncertainAttempt && e.Error.Code == "TaskTimedOut" && operation != "SendTaskHeartbeat")
        {
            // An earlier attempt of this very call may have closed the task: the token being closed
            // now is that attempt's success, not a reason to answer the next order.
            return;
        }
        catch (AwsServiceException e)
        {
            CallbackFailureKind kind = e.Error.Code is "TaskTimedOut" or "TaskDoesNotExist" or "InvalidToken"
                ? CallbackFailureKind.DeadToken
                : CallbackFailureKind.Permanent;
            throw new TaskCallbackException(kind, e.Error.Code, operation + " failed: " + e.Error.Code, e);
        }
        catch (AwsTransientException e)
        {
            throw new TaskCallbackException(CallbackFailureKind.Transient, e.Code, operation + " failed: " + e.Message, e);
        }
    }
}
