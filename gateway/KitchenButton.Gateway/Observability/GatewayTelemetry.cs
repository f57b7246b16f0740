using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// Structured JSON logs (through <see cref="Logger"/>) and CloudWatch Embedded Metric Format documents, one JSON object per line,
/// written as raw bytes to the function's standard output stream. Not through <see cref="Console"/>:
/// with Lambda's JSON log format the .NET runtime wraps every console line as
/// <c>{"message": "..."}</c>, and CloudWatch extracts metrics only from a log event that is the EMF
/// document itself. The raw stream reaches CloudWatch Logs unchanged whatever the log format.
/// Metrics emitted inside <see cref="BeginInvocation"/> leave as one document at its end. Never given
/// a secret; task tokens are logged only as a short fingerprint. Totals are kept in memory for tests
/// and benchmarks.
/// </summary>
public sealed class GatewayTelemetry
{
    /// <summary>The gateway's metrics are per environment: dev and prod in one account never mix.</summary>
    public const string NamespacePrefix = "KitchenButton/";

    public const string ServiceDimension = "Service";
    public const string ServiceName = "gateway";

    /// <summary>Logs are read by people: keep quotes and apostrophes readable (the sink is not HTML).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _output;
    private readonly Func<DateTimeOffset> _clock;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();
    private readonly AsyncLocal<MetricsBatch?> _current = new();
    private JsonLineLogger? _logger;

    /// <param name="output">Where lines go: in Lambda the raw standard output (<see cref="Console.OpenStandardOutput()"/>).</param>
    /// <param name="clock">Timestamps of logs and metrics.</param>
    /// <param name="metricNamespace">The CloudWatch namespace, <see cref="NamespaceFor"/> the environment.</param>
    public GatewayTelemetry(Stream output, Func<DateTimeOffset> clock, string metricNamespace)
    {
        _output = output;
        _clock = clock;
        Namespace = metricNamespace;
    }

    public string Namespace { get; }

    public static string NamespaceFor(string environment) => NamespacePrefix + environment;

    /// <summary>The sum of every value emitted for a metric, optionally for one dimension value.</summary>
    public double Total(string metric, string? dimensionValue = null)
    {
        return _totals.TryGetValue(dimensionValue == null ? metric : metric + "|" + dimensionValue, out double v) ? v : 0;
    }

    /// <summary>Where the gateway's log events (<see cref="GatewayLog"/>) go: JSON lines on the same raw output.</summary>
    public Microsoft.Extensions.Logging.ILogger Logger => _logger ??= new JsonLineLogger(this);

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    internal DateTimeOffset Now() => _clock();

    /// <summary>
    /// Starts an invocation: until the scope is disposed, metrics of this logical flow are gathered
    /// and then written as one document. Call it at the top of a handler, before any await.
    /// </summary>
    public InvocationScope BeginInvocation()
    {
        var scope = new InvocationScope(this, new MetricsBatch(), _current.Value);
        _current.Value = scope.Batch;
        return scope;
    }

    /// <summary>Emits one metric, with at most one dimension: gathered in the invocation, or written at once outside one.</summary>
    public void Metric(string name, double value, string unit, string? dimensionName = null, string? dimensionValue = null)
    {
        _totals.AddOrUpdate(name, value, (_, v) => v + value);
        if (dimensionValue != null)
        {
            _totals.AddOrUpdate(name + "|" + dimensionValue, value, (_, v) => v + value);
        }

        MetricsBatch? batch = _current.Value;
        if (batch != null)
        {
            batch.Add(name, value, unit, dimensionName, dimensionValue);
            return;
        }

        var single = new MetricsBatch();
        single.Add(name, value, unit, dimensionName, dimensionValue);
        Flush(single);
    }

    /// <summary>A stable, non-reversible short name for a task token, for correlating logs.</summary>
    public static string Fingerprint(string taskToken)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(taskToken), hash);
        return "tok-" + Convert.ToHexStringLower(hash[..6]);
    }

    internal void EndInvocation(InvocationScope scope, MetricsBatch? previous)
    {
        _current.Value = previous;
        Flush(scope.Batch);
    }

    private void Flush(MetricsBatch batch)
    {
        long timestamp = _clock().ToUnixTimeMilliseconds();
        foreach (MetricGroup group in batch.Groups)
        {
            WriteLine(json => WriteDocument(json, group, timestamp));
        }
    }

    private void WriteDocument(Utf8JsonWriter json, MetricGroup group, long timestamp)
    {
        json.WriteStartObject();
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", timestamp);
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);

        // A dimensioned metric is also published as its total, so alarms can watch the sum.
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        json.WriteStringValue(ServiceDimension);
        json.WriteEndArray();
        if (group.DimensionName != null)
        {
            json.WriteStartArray();
            json.WriteStringValue(ServiceDimension);
            json.WriteStringValue(group.DimensionName);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var metric in group.Metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", metric.Name);
            json.WriteString("Unit", metric.Unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString(ServiceDimension, ServiceName);
        if (group.DimensionName != null)
        {
            json.WriteString(group.DimensionName, group.DimensionValue);
        }

        foreach (var metric in group.Metrics)
        {
            if (metric.Values.Count == 1)
            {
                json.WriteNumber(metric.Name, metric.Values[0]);
                continue;
            }

            json.WriteStartArray(metric.Name);
            foreach (double v in metric.Values)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>One JSON object and a line feed, written in one piece so concurrent lines never interleave.</summary>
    internal void WriteLine(Action<Utf8JsonWriter> write)
    {
        // One buffer and writer per thread, reused: a line costs no allocation of its own.
        System.Buffers.ArrayBufferWriter<byte> buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Utf8JsonWriter json = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);
        write(json);
        json.Flush();
        System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        lock (_writeLock)
        {
            _output.Write(buffer.WrittenSpan);
            _output.Flush();
        }
    }
}
