using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Text;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations, RequestResponse) for functions
/// the stack registers: the answer is the function's result, or, when it throws, a 200 with
/// X-Amz-Function-Error: Unhandled and {errorType, errorMessage}, as Lambda answers.
/// </summary>
public sealed class LocalFunctions
{
    private const string Prefix = "/2015-03-31/functions/";

    private readonly ConcurrentDictionary<string, Func<byte[], Task<byte[]>>> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Function, string Payload)> _invocations = new();

    /// <summary>Makes <paramref name="name"/> invocable.</summary>
    public void Register(string name, Func<byte[], Task<byte[]>> handler) => _functions[name] = handler;

    /// <summary>Every invocation so far, oldest first.</summary>
    public (string Function, string Payload)[] Invocations => _invocations.ToArray();

    internal static bool Handles(HttpListenerRequest request) =>
        request.HttpMethod == "POST" && request.Url!.AbsolutePath.StartsWith(Prefix, StringComparison.Ordinal)
        && request.Url.AbsolutePath.EndsWith("/invocations", StringComparison.Ordinal);

    /// <summary>The ARN of the function a request of <see cref="Handles"/> invokes.</summary>
    internal static string ResourceOf(HttpListenerRequest request) => AwsCallLog.Arn("lambda", "function:" + NameOf(request));

    private static string NameOf(HttpListenerRequest request)
    {
        string path = request.Url!.AbsolutePath;
        return Uri.UnescapeDataString(path[Prefix.Length..^"/invocations".Length]);
    }

    internal async Task HandleAsync(HttpListenerContext context, byte[] body)
    {
        string name = NameOf(context.Request);
        if (!_functions.TryGetValue(name, out Func<byte[], Task<byte[]>>? handler))
        {
            await AwsWire.AnswerAsync(context, 404, "{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}", "ResourceNotFoundException");
            return;
        }

        _invocations.Enqueue((name, Encoding.UTF8.GetString(body)));
        byte[] result;
        try
        {
            result = await handler(body);
        }
        catch (Exception e)
        {
            context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            await AwsWire.AnswerAsync(context, 200, System.Text.Json.JsonSerializer.Serialize(new System.Collections.Generic.Dictionary<string, string>
            {
                ["errorType"] = e.GetType().Name,
                ["errorMessage"] = e.Message,
            }), null);
            return;
        }

        await AwsWire.AnswerAsync(context, 200, Encoding.UTF8.GetString(result), null);
    }
}
