using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Answers;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// Step Functions' callback operations and GetExecutionHistory over the awsJson1_0 protocol (POST /,
/// X-Amz-Target: AWSStepFunctions.{Operation}), signed for "states". Stands in for AWSSDK.StepFunctions, which is
/// not available here; swapping it in is a change to this class only.
/// </summary>
public sealed class StepFunctionsAnswerClient : ITaskAnswers
{
    public const string SigningService = "states";
    private const string ContentType = "application/x-amz-json-1.0";

    private readonly SignedAwsHttpClient _client;

    public StepFunctionsAnswerClient(SignedAwsHttpClient client)
    {
        _client = client;
    }

    public Task SendTaskSuccessAsync(string taskToken, string outputJson, CancellationToken cancellationToken)
    {
        return (Task)CallAsync("SendTaskSuccess", json =>
        {
            json.WriteString("taskToken", taskToken);
            json.WriteString("output", outputJson);
        }, cancellationToken);
    }

    public Task SendTaskFailureAsync(string taskToken, string error, string cause, CancellationToken cancellationToken)
    {
        return (Task)CallAsync("SendTaskFailure", json =>
        {
            json.WriteString("taskToken", taskToken);
            json.WriteString("error", error);
            json.WriteString("cause", cause);
        }, cancellationToken);
    }

    public async Task<bool> WasAnsweredByAsync(string executionArn, string pressId, CancellationToken cancellationToken)
    {
        // Newest first: the answer, if any, is near the end of the history.
        string? next = null;
        do
        {
            byte[] page = await CallAsync("GetExecutionHistory", json =>
            {
                json.WriteString("executionArn", executionArn);
                json.WriteBoolean("reverseOrder", true);
                json.WriteNumber("maxResults", 200);
                json.WriteBoolean("includeExecutionData", true);
                if (next != null)
                {
                    json.WriteString("nextToken", next);
                }
            }, cancellationToken);
            using JsonDocument doc = JsonDocument.Parse(page);
            foreach (JsonElement e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                if (AnswerCarries(e, pressId))
                {
                    return true;
                }
            }

            next = doc.RootElement.TryGetProperty("nextToken", out JsonElement n) ? n.GetString() : null;
        }
        while (next != null);
        return false;
    }

    /// <summary>The press id a success output carries, or the "(press id)" a failure cause ends with.</summary>
    public static bool AnswerCarries(JsonElement historyEvent, string pressId)
    {
        string? type = historyEvent.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        if (type == "TaskSucceeded" && historyEvent.TryGetProperty("taskSucceededEventDetails", out JsonElement ok)
            && ok.TryGetProperty("output", out JsonElement output) && output.GetString() is string text)
        {
            try
            {
                using JsonDocument answer = JsonDocument.Parse(text);
                return answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("pressId", out JsonElement id)
                    && id.ValueKind == JsonValueKind.String && id.GetString() == pressId;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return type == "TaskFailed" && historyEvent.TryGetProperty("taskFailedEventDetails", out JsonElement failed)
            && failed.TryGetProperty("cause", out JsonElement cause) && cause.GetString() is string why
            && why.EndsWith("(press " + pressId + ")", System.StringComparison.Ordinal);
    }

    private async Task<byte[]> CallAsync(string operation, System.Action<Utf8JsonWriter> writeFields, CancellationToken cancellationToken)
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
            return await _client.SendAsync(HttpMethod.Post, "/", body, ContentType, "AWSStepFunctions." + operation, cancellationToken);
        }
        catch (AwsServiceException e)
        {
            AnswerFailureKind kind = e.Error.Code is "TaskTimedOut" or "TaskDoesNotExist" or "InvalidToken"
                ? AnswerFailureKind.DeadToken
                : AnswerFailureKind.Permanent;
            throw new TaskAnswerException(kind, e.Error.Code, operation + " failed: " + e.Error.Code, e, e.AfterUncertainAttempt);
        }
        catch (AwsTransientException e)
        {
            throw new TaskAnswerException(e.Uncertain ? AnswerFailureKind.OutcomeUnknown : AnswerFailureKind.NotDelivered, e.Code, operation + " failed: " + e.Message, e);
        }
        catch (System.OperationCanceledException e)
        {
            // The invocation's deadline cut the call short: it may have been sent.
            throw new TaskAnswerException(AnswerFailureKind.OutcomeUnknown, "Deadline", operation + " cut short by the invocation's deadline", e);
        }
    }
}
