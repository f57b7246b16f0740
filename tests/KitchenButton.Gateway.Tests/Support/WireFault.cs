using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>How one AWS call fails on the wire.</summary>
public enum CallFailure
{
    /// <summary>The service applies the call, the answer never comes back (a reset connection): the client cannot know it landed.</summary>
    AnswerLost,

    /// <summary>The invocation dies just before the call leaves: nothing of it is applied, nothing after it runs.</summary>
    DiesBefore,

    /// <summary>The service applies the call and the invocation dies before reading the answer: nothing after it runs.</summary>
    DiesAfter,

    /// <summary>
    /// The services throttle from this call on, applying nothing, for as long as the invocation runs
    /// (every retry of it and every later call): the next invocation finds them recovered.
    /// </summary>
    Throttled,
}

/// <summary>
/// Sits between the gateway and the network and fails the nth call made after <see cref="Fail"/>,
/// once, the ways a call to AWS really fails. An invocation "dies" by having its cancellation source
/// cancelled there: every call after it fails at once, as nothing runs after a process is gone.
/// </summary>
public sealed class WireFault : DelegatingHandler
{
    private readonly object _gate = new();
    private readonly List<string> _calls = new();
    private int _failAt;
    private CallFailure _failure;
    private bool _throttling;
    private CancellationTokenSource? _invocation;

    /// <summary>
    /// The invocation running now: the one a <see cref="CallFailure.DiesBefore"/> or
    /// <see cref="CallFailure.DiesAfter"/> ends, and the one a <see cref="CallFailure.Throttled"/> lasts.
    /// </summary>
    public CancellationTokenSource? Invocation
    {
        get => _invocation;
        set
        {
            lock (_gate)
            {
                _invocation = value;
                _throttling = false;
            }
        }
    }

    /// <summary>Whether the armed call was made (and failed).</summary>
    public bool Fired { get; private set; }

    /// <summary>The calls made since <see cref="Fail"/>, by X-Amz-Target or method and path, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>Fails the <paramref name="call"/>th call from now (1 is the next one); 0 fails none.</summary>
    public void Fail(int call, CallFailure failure)
    {
        lock (_gate)
        {
            _calls.Clear();
            _failAt = call;
            _failure = failure;
            _throttling = false;
            Fired = false;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool fail;
        lock (_gate)
        {
            _calls.Add(Name(request));
            fail = _calls.Count == _failAt;
            Fired |= fail;
            _throttling |= fail && _failure == CallFailure.Throttled;
            fail |= _throttling;
        }

        if (!fail)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (_failure == CallFailure.Throttled)
        {
            return Throttling(request);
        }

        if (_failure == CallFailure.DiesBefore)
        {
            Die(cancellationToken);
        }

        using HttpResponseMessage applied = await base.SendAsync(request, cancellationToken);
        await applied.Content.ReadAsByteArrayAsync(cancellationToken);
        if (_failure == CallFailure.DiesAfter)
        {
            Die(cancellationToken);
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, "the connection was reset before the answer (injected)");
    }

    private void Die(CancellationToken cancellationToken)
    {
        CancellationTokenSource invocation = Invocation ?? throw new System.InvalidOperationException("no invocation to end");
        invocation.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        throw new System.OperationCanceledException(invocation.Token);
    }

    /// <summary>The throttling answer of the service the request is for, as each one words it.</summary>
    private static HttpResponseMessage Throttling(HttpRequestMessage request)
    {
        string? target = request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets) ? string.Join(",", targets) : null;
        (HttpStatusCode status, string body, string contentType) = target switch
        {
            null => ((HttpStatusCode)429, "{\"message\":\"Rate exceeded\"}", "application/json"),
            _ when target.StartsWith("DynamoDB", System.StringComparison.Ordinal) => (HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}", "application/x-amz-json-1.0"),
            _ => (HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.swf.base.model#ThrottlingException\",\"message\":\"Rate exceeded\"}", "application/x-amz-json-1.0"),
        };
        var response = new HttpResponseMessage(status)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8),
        };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (target == null)
        {
            // The IoT data plane names its errors in a header (restJson1).
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ThrottlingException");
        }

        return response;
    }

    private static string Name(HttpRequestMessage request) =>
        request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets)
            ? string.Join(",", targets)
            : request.Method + " " + request.RequestUri!.AbsolutePath;
}
