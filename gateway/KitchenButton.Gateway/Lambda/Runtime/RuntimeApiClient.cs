using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda.Runtime;

/// <summary>
/// The Lambda Runtime API, version 2018-06-01 (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
/// next invocation, invocation response, invocation error and initialization error, at
/// <c>http://${AWS_LAMBDA_RUNTIME_API}</c>. Stands in for Amazon.Lambda.RuntimeSupport, which is not served here.
/// </summary>
public sealed class RuntimeApiClient
{
    private const string Version = "2018-06-01";

    private readonly HttpMessageInvoker _http;
    private readonly Uri _base;
    private readonly Uri _next;

    /// <param name="http">
    /// No timeout (an HttpClient's is infinite or absent): the next-invocation call waits as long as
    /// the environment is frozen. A bare invoker over the handler spares each call HttpClient's
    /// timeout machinery.
    /// </param>
    /// <param name="runtimeApi">host:port, as AWS_LAMBDA_RUNTIME_API gives it.</param>
    public RuntimeApiClient(HttpMessageInvoker http, string runtimeApi)
    {
        _http = http;
        _base = new Uri("http://" + runtimeApi + "/" + Version + "/runtime/");
        _next = new Uri(_base, "invocation/next");
    }

    public async Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _next);
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        string requestId = Header(response, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidDataException("the next invocation has no Lambda-Runtime-Aws-Request-Id");
        string? deadlineMs = Header(response, "Lambda-Runtime-Deadline-Ms");
        DateTimeOffset deadline = long.TryParse(deadlineMs, NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidDataException("the next invocation has no valid Lambda-Runtime-Deadline-Ms");
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new RuntimeInvocation(requestId, deadline, Header(response, "Lambda-Runtime-Trace-Id"), Header(response, "Lambda-Runtime-Invoked-Function-Arn"), body);
    }

    public async Task RespondAsync(string requestId, byte[] result, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(result);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "invocation/" + Uri.EscapeDataString(requestId) + "/response")) { Content = content };
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Fails the invocation: Lambda retries it (asynchronous invokes) and finally sends it to the failure destination.</summary>
    public Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync("invocation/" + Uri.EscapeDataString(requestId) + "/error", error, cancellationToken);

    /// <summary>The function could not start: Lambda reports it and discards the execution environment.</summary>
    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken) => PostErrorAsync("init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, Exception error, CancellationToken cancellationToken)
    {
        string errorType = error.GetType().Name;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", error.Message);
            json.WriteString("errorType", errorType);
            json.WriteStartArray("stackTrace");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", "Runtime." + errorType);
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The header as received, not parsed: one value is returned as the string it arrived in.</summary>
    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? values.ToString() : null;
}
