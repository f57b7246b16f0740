using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// Sends SigV4-signed requests to one AWS service with AWSSDK.Core's credential chain and signer,
/// retrying transient failures (throttling, 5xx, network errors, per-attempt timeouts) with
/// exponential backoff and full jitter. Sends through an <see cref="HttpMessageInvoker"/> rather than
/// an HttpClient: each attempt has its own timeout here, so HttpClient's own timeout source, its
/// link to ours and its extra async layer would be spent on every request for nothing.
/// </summary>
public sealed class SignedAwsHttpClient
{
    private readonly HttpMessageInvoker _http;
    private readonly AWSCredentials _credentials;
    private readonly string _signingService;
    private readonly AwsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SigV4RequestSigner _signer = new();
    private readonly GatewayRequestSigner _jsonSigner = new();
    private Uri? _root;

    public SignedAwsHttpClient(HttpMessageInvoker http, AWSCredentials credentials, string signingService, AwsClientOptions options, TimeProvider time)
    {
        _http = http;
        _credentials = credentials;
        _signingService = signingService;
        _options = options;
        _time = time;
    }

    public AwsClientOptions Options => _options;

    /// <summary>Sends the request; returns the body of a 2xx answer, throws otherwise.</summary>
    /// <exception cref="AwsServiceException">A definitive error answer.</exception>
    /// <exception cref="AwsTransientException">Every attempt failed transiently.</exception>
    public Task<byte[]> SendAsync(HttpMethod method, string pathAndQuery, byte[] body, string contentType, string? target, CancellationToken cancellationToken)
    {
        return SendAsync(method, pathAndQuery, body, contentType, target, null, cancellationToken);
    }

    /// <summary>As above, with extra signed headers (e.g. x-amzn-principal for IoT's AttachThingPrincipal).</summary>
    public async Task<byte[]> SendAsync(HttpMethod method, string pathAndQuery, byte[] body, string contentType, string? target, (string Name, string Value)[]? headers, CancellationToken cancellationToken)
    {
        string lastCode = "Unknown";
        Exception? last = null;
        bool uncertain = false;
        for (int attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                // Backoff waits real time: the time provider dates signatures, and a test's fake clock
                // must not stall a retry.
                await Task.Delay(Backoff(attempt - 1), cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                using HttpRequestMessage request = await BuildAsync(method, pathAndQuery, body, contentType, target, headers);
                using HttpResponseMessage response = await _http.SendAsync(request, timeout.Token);
                byte[] answer = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return answer;
                }

                AwsError error = AwsError.Parse(response.StatusCode, response, answer);
                if (!error.IsTransient)
                {
                    throw new AwsServiceException(error, uncertain);
                }

                // Throttling means not applied; a server error may come after the work was done.
                uncertain |= (int)response.StatusCode >= 500;
                lastCode = error.Code;
                last = new AwsServiceException(error, uncertain);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                lastCode = "Timeout";
                last = e;
                uncertain = true;
            }
            catch (HttpRequestException e)
            {
                // Includes failures after the request was sent.
                lastCode = "NetworkError";
                last = e;
                uncertain = true;
            }
        }

        throw new AwsTransientException(lastCode, _signingService + " failed " + _options.MaxAttempts + " times, last with " + lastCode, uncertain, last);
    }

    private async Task<HttpRequestMessage> BuildAsync(HttpMethod method, string pathAndQuery, byte[] body, string contentType, string? target, (string Name, string Value)[]? headers)
    {
        // The JSON APIs all post to the root: its Uri is made once.
        Uri uri = pathAndQuery == "/" ? _root ??= new Uri(_options.Endpoint, "/") : new Uri(_options.Endpoint, pathAndQuery);
        var request = new HttpRequestMessage(method, uri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (GatewayRequestSigner.Handles(headers))
        {
            // The gateway's requests: signed without the SDK's general-purpose request model.
            if (target != null)
            {
                request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            }

            ImmutableCredentials current = await _credentials.GetCredentialsAsync();
            _jsonSigner.Sign(request, body, pathAndQuery, contentType, target, _signingService, _options.Region, current, _time.GetUtcNow().UtcDateTime);
            return request;
        }

        if (target != null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        foreach (var (name, value) in headers ?? Array.Empty<(string, string)>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        ImmutableCredentials credentials = await _credentials.GetCredentialsAsync();
        _signer.Sign(request, body, _signingService, _options.Region, credentials, _time.GetUtcNow().UtcDateTime);
        return request;
    }

    private TimeSpan Backoff(int retry)
    {
        double ceiling = Math.Min(_options.BackoffCap.TotalMilliseconds, _options.BackoffBase.TotalMilliseconds * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
