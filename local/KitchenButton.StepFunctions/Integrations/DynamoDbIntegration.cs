using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;

namespace KitchenButton.StepFunctions.Integrations;

/// <summary>
/// DynamoDB for Task states, both ways Step Functions offers it: the AWS SDK integration
/// (arn:aws:states:::aws-sdk:dynamodb:*, any action, errors named DynamoDb.&lt;code&gt;) and the optimized
/// one (arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem, errors DynamoDB.&lt;code&gt;).
/// Arguments are the API's own request, sent as is over DynamoDB's JSON protocol (DynamoDB_20120810)
/// to a DynamoDB-compatible endpoint such as dynalite; the response is the task's result.
/// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
/// </summary>
public sealed class DynamoDbIntegration : ITaskIntegration
{
    /// <summary>The access key the workflow's calls are signed with here: its execution role's, as the local parts see it.</summary>
    public const string AccessKey = "LOCALSTATES";

    private static readonly string[] Optimized = { "getItem", "putItem", "updateItem", "deleteItem" };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public DynamoDbIntegration(HttpClient http, Uri endpoint)
    {
        _http = http;
        _endpoint = endpoint;
    }

    public bool Handles(TaskResource resource) =>
        resource.Service == "aws-sdk:dynamodb" || (resource.Service == "dynamodb" && Array.IndexOf(Optimized, resource.Action) >= 0);

    public async Task<JsonNode?> CallAsync(TaskResource resource, JsonNode? arguments, CancellationToken cancellationToken)
    {
        string errorPrefix = resource.Service == "dynamodb" ? "DynamoDB." : "DynamoDb.";
        string operation = char.ToUpperInvariant(resource.Action[0]) + resource.Action[1..];
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(arguments?.ToJsonString() ?? "{}", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));

        // The execution role's credentials sign real calls; a local endpoint checks only their form.
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=" + AccessKey + "/" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
            + "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + new string('0', 64));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new StatesError(errorPrefix + "AmazonDynamoDBException", "DynamoDB could not be reached: " + e.Message);
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(body);
            }

            // {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"..."}
            string code = "AmazonDynamoDBException";
            string message = body;
            try
            {
                using JsonDocument error = JsonDocument.Parse(body);
                if (error.RootElement.TryGetProperty("__type", out JsonElement type) && type.GetString() is { } t)
                {
                    code = t[(t.LastIndexOf('#') + 1)..];
                }

                if ((error.RootElement.TryGetProperty("message", out JsonElement m) || error.RootElement.TryGetProperty("Message", out m)) && m.GetString() is { } text)
                {
                    message = text;
                }
            }
            catch (JsonException)
            {
                // Not JSON: the body is the cause.
            }

            throw new StatesError(errorPrefix + code, message + " (Service: DynamoDb, Status Code: " + (int)response.StatusCode + ")");
        }
    }
}
