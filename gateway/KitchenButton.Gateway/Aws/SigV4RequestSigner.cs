using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// Signs an HTTP request with AWSSDK.Core's own SigV4 signer (<see cref="AWS4Signer"/>), so the
/// hand-written clients sign exactly as the SDK does.
/// </summary>
public sealed class SigV4RequestSigner
{
    private readonly AWS4Signer _signer = new();

    /// <summary>
    /// Adds X-Amz-Date, X-Amz-Security-Token (for temporary credentials), X-Amz-Content-SHA256 where
    /// the signer sets it, and Authorization to <paramref name="request"/>, whose body is <paramref name="body"/>.
    /// </summary>
    public void Sign(HttpRequestMessage request, byte[] body, string signingService, string region, ImmutableCredentials credentials, DateTime signingTimeUtc)
    {
        Uri uri = request.RequestUri ?? throw new ArgumentException("request has no URI", nameof(request));
        var sdkRequest = new DefaultRequest(new SigningOnlyRequest(), signingService)
        {
            HttpMethod = request.Method.Method,
            Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
            Content = body,
            UseQueryString = true,
            AuthenticationRegion = region,
            OverrideSigningServiceName = signingService,
        };
        SetResourcePath(sdkRequest, uri);
        foreach (KeyValuePair<string, string> q in QueryParameters(uri))
        {
            sdkRequest.Parameters[q.Key] = q.Value;
        }

        foreach (KeyValuePair<string, IEnumerable<string>> h in request.Headers)
        {
            sdkRequest.Headers[h.Key] = string.Join(",", h.Value);
        }

        if (request.Content != null)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> h in request.Content.Headers)
            {
                if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    sdkRequest.Headers[h.Key] = string.Join(",", h.Value);
                }
            }
        }

        if (credentials.UseToken)
        {
            sdkRequest.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var config = new SigningClientConfig(signingService, region);
        AWS4SigningResult result = _signer.SignRequest(sdkRequest, config, null, credentials.AccessKey, credentials.SecretKey, signingTimeUtc);
        sdkRequest.Headers["Authorization"] = result.ForAuthorizationHeader;

        foreach (KeyValuePair<string, string> h in sdkRequest.Headers)
        {
            if (IsContentHeader(h.Key) || h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.Remove(h.Key);
            request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }
    }

    /// <summary>
    /// Hands the path to the SDK as one path resource per segment, as its own marshallers do, so a
    /// segment holding an encoded '/' (an IoT topic) is canonicalised the way the service expects.
    /// </summary>
    private static void SetResourcePath(DefaultRequest sdkRequest, Uri uri)
    {
        string[] segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var template = new System.Text.StringBuilder();
        for (int i = 0; i < segments.Length; i++)
        {
            string label = "{s" + i + "}";
            template.Append('/').Append(label);
            sdkRequest.PathResources[label] = Uri.UnescapeDataString(segments[i]);
        }

        sdkRequest.ResourcePath = template.Length == 0 ? "/" : template.ToString();
    }

    private static bool IsContentHeader(string name)
    {
        return name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri uri)
    {
        string query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            yield return eq < 0
                ? new KeyValuePair<string, string>(Uri.UnescapeDataString(pair), string.Empty)
                : new KeyValuePair<string, string>(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..]));
        }
    }

    /// <summary>The SDK's request type is abstract; the signer only needs an instance.</summary>
    private sealed class SigningOnlyRequest : AmazonWebServiceRequest
    {
    }
}
