using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.LocalAws;

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

/// <summary>Lambda's deliveries of one asynchronous event (IoT and EventBridge rules): the first, then its two retries one and two minutes apart.</summary>
public static class LambdaDeliveries
{
    /// <summary>The wait before each delivery.</summary>
    public static readonly TimeSpan[] Waits = { TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2) };
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
    private readonly HashSet<string> _denied = new(StringComparer.Ordinal);

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

    /// <summary>The calls made since <see cref="Fail"/>, in order, named as <see cref="CallCounter"/> names them.</summary>
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

    /// <summary>
    /// IAM refuses <paramref name="operation"/> (as <see cref="CallCounter"/> names it) from now on,
    /// every call of it, applying nothing: a grant missing from the function's role.
    /// </summary>
    public void Deny(string operation)
    {
        lock (_gate)
        {
            _denied.Add(operation);
        }
    }

    /// <summary>Every grant is back: no operation is refused any more.</summary>
    public void GrantAll()
    {
        lock (_gate)
        {
            _denied.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool fail;
        lock (_gate)
        {
            string operation = CallCounter.Operation(request);
            _calls.Add(operation);
            if (_denied.Contains(operation))
            {
                return AccessDenied(request, operation);
            }

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
        CancellationTokenSource invocation = Invocation ?? throw new InvalidOperationException("no invocation to end");
        invocation.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        throw new OperationCanceledException(invocation.Token);
    }

    /// <summary>
    /// IAM's refusal as the service the request is for passes it on: DynamoDB and Step Functions
    /// (awsJson) a 400 AccessDeniedException naming action and resource, the IoT data plane's Publish
    /// a bare 403 ForbiddenException "Forbidden" (aws/aws-sdk-js-v3#5562, boto/boto3#1447).
    /// </summary>
    private static HttpResponseMessage AccessDenied(HttpRequestMessage request, string operation)
    {
        string message = AwsCallLog.AccessDeniedMessage(request.Headers.Authorization?.ToString(), operation.Replace("iotdata:", "iot:", StringComparison.Ordinal), "*");
        bool awsJson = !operation.StartsWith("iotdata:", StringComparison.Ordinal);
        var response = new HttpResponseMessage(awsJson ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden)
        {
            RequestMessage = request,
            Content = new StringContent(
                awsJson
                    ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazon.coral.service#AccessDeniedException", ["Message"] = message })
                    : "{\"message\":\"Forbidden\"}",
                Encoding.UTF8,
                awsJson ? "application/x-amz-json-1.0" : "application/json"),
        };
        if (!awsJson)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ForbiddenException");
        }

        return response;
    }

    /// <summary>The throttling answer of the service the request is for, as each one words it.</summary>
    private static HttpResponseMessage Throttling(HttpRequestMessage request)
    {
        string operation = CallCounter.Operation(request);
        (HttpStatusCode status, string body) = operation[..operation.IndexOf(':')] switch
        {
            "dynamodb" => (HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}"),
            "states" => (HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.swf.base.model#ThrottlingException\",\"message\":\"Rate exceeded\"}"),
            _ => ((HttpStatusCode)429, "{\"message\":\"Rate exceeded\"}"),
        };
        var response = new HttpResponseMessage(status)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, status == HttpStatusCode.BadRequest ? "application/x-amz-json-1.0" : "application/json"),
        };
        if (status != HttpStatusCode.BadRequest)
        {
            // The IoT data plane (restJson1) names its errors in a header.
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ThrottlingException");
        }

        return response;
    }
}
