using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// Counts the gateway's AWS calls by service and operation ("dynamodb:GetItem", "states:SendTaskSuccess",
/// "iotdata:Publish"), read from the request as AWS routes it: the X-Amz-Target header of the JSON
/// protocols, the path of IoT's restJson Publish.
/// </summary>
public sealed class CallCounter : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public CallCounter(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>A copy of the counts so far.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_calls);

    /// <summary>The calls made since <paramref name="before"/>, by operation.</summary>
    public IReadOnlyDictionary<string, int> Since(IReadOnlyDictionary<string, int> before) =>
        _calls.Select(c => (c.Key, Count: c.Value - (before.TryGetValue(c.Key, out int b) ? b : 0)))
            .Where(c => c.Count > 0).ToDictionary(c => c.Key, c => c.Count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(Operation(request), 1, (_, n) => n + 1);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The service and operation a request calls, as the counts name it.</summary>
    public static string Operation(HttpRequestMessage request)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets))
        {
            string target = targets.First();
            int dot = target.IndexOf('.');
            string service = target[..dot].StartsWith("DynamoDB", System.StringComparison.Ordinal) ? "dynamodb" : "states";
            return service + ":" + target[(dot + 1)..];
        }

        return request.RequestUri!.AbsolutePath.StartsWith("/topics/", System.StringComparison.Ordinal) ? "iotdata:Publish" : "other:" + request.Method + " " + request.RequestUri.AbsolutePath;
    }
}
