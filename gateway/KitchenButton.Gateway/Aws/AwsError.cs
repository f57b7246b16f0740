using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace KitchenButton.Gateway.Aws;

/// <summary>An AWS error response: its code (sanitised as the awsJson and restJson protocols say) and message.</summary>
public sealed record AwsError(HttpStatusCode Status, string Code, string Message)
{
    /// <summary>
    /// Reads the error code from the X-Amzn-ErrorType header or the body's __type / code field,
    /// keeping only the shape name: "aws.protocoltests#FooError:http://..." becomes "FooError".
    /// </summary>
    public static AwsError Parse(HttpStatusCode status, HttpResponseMessage response, byte[] body)
    {
        string? code = response.Headers.TryGetValues("X-Amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string message = string.Empty;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    if (code == null && (p.NameEquals("__type") || p.NameEquals("code")) && p.Value.ValueKind == JsonValueKind.String)
                    {
                        code = p.Value.GetString();
                    }
                    else if ((p.NameEquals("message") || p.NameEquals("Message")) && p.Value.ValueKind == JsonValueKind.String)
                    {
                        message = p.Value.GetString() ?? string.Empty;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the status code is all there is.
        }

        return new AwsError(status, Sanitize(code) ?? "Http" + (int)status, message);
    }

    private static string? Sanitize(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        int colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        int hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }

    /// <summary>Throttling and server-side errors: the same request may succeed later.</summary>
    public bool IsTransient =>
        (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests
        || Code is "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "RequestLimitExceeded" or "ProvisionedThroughputExceededException"
            or "ServiceUnavailable" or "InternalFailure" or "InternalServerError" or "RequestTimeout" or "RequestTimeoutException";
}
