using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;

namespace KitchenButton.LocalAws;

/// <summary>How the stand-ins answer on the wire: a JSON body with AWS's headers, a refusal in IAM's words, a SigV4 check.</summary>
internal static class AwsWire
{
    public static async System.Threading.Tasks.Task AnswerAsync(HttpListenerContext context, int status, string json, string? errorTypeHeader)
    {
        try
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            if (errorTypeHeader != null)
            {
                context.Response.Headers["X-Amzn-ErrorType"] = errorTypeHeader;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(json);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
    }

    /// <summary>The request carries a SigV4 Authorization header scoped to <paramref name="service"/>.</summary>
    public static bool IsSigned(HttpListenerRequest request, string service)
    {
        string? authorization = request.Headers["Authorization"];
        return authorization != null
            && authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal)
            && authorization.Contains("/" + service + "/aws4_request", StringComparison.Ordinal)
            && authorization.Contains("Signature=", StringComparison.Ordinal)
            && request.Headers["X-Amz-Date"] != null;
    }

    /// <summary>
    /// Answers a call as its service answers one IAM refused: the awsJson services (DynamoDB, Step
    /// Functions, and SQS with the Query protocol's code beside it) with a 400 and an
    /// AccessDeniedException body, the REST ones (IoT, Lambda) with a 403 and the error type header;
    /// every message in IAM's wording.
    /// </summary>
    public static System.Threading.Tasks.Task RefuseAsync(HttpListenerContext context, string action, string resource)
    {
        string message = AwsCallLog.AccessDeniedMessage(context.Request.Headers["Authorization"], action, resource);
        string Body(string messageField, string? type) => System.Text.Json.JsonSerializer.Serialize(type == null
            ? new Dictionary<string, string> { [messageField] = message }
            : new Dictionary<string, string> { ["__type"] = type, [messageField] = message });
        const string Coral = "com.amazon.coral.service#AccessDeniedException";
        switch (action[..action.IndexOf(':', StringComparison.Ordinal)])
        {
            case "dynamodb":
                return AnswerAsync(context, 400, Body("Message", Coral), null);
            case "states":
                return AnswerAsync(context, 400, Body("message", Coral), null);
            case "sqs":
                context.Response.Headers["x-amzn-query-error"] = "AccessDenied;Sender";
                return AnswerAsync(context, 400, Body("message", Coral), null);
            case "lambda":
                return AnswerAsync(context, 403, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Type"] = "User", ["Message"] = message }), "AccessDeniedException");
            case "iot" when action is "iot:Publish" or "iot:RetainPublish":
                // The data plane names neither the action nor the resource: a bare 403 ForbiddenException
                // "Forbidden", as the SDKs report it (aws/aws-sdk-js-v3#5562, boto/boto3#1447).
                return AnswerAsync(context, 403, "{\"message\":\"Forbidden\"}", "ForbiddenException");
            default:
                return AnswerAsync(context, 403, Body("message", null), "AccessDeniedException");
        }
    }
}
