using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// Structured JSON logs and CloudWatch Embedded Metric Format lines, one JSON object per line on the
/// function's output (which Lambda sends to CloudWatch Logs). Never given a secret; task tokens are
/// logged only as a short fingerprint. Counters are also kept in memory for tests and benchmarks.
/// </summary>
public sealed class GatewayTelemetry
{
    public const string Namespace = "KitchenButton";

    /// <summary>Logs are read by people: keep quotes and apostrophes readable (the sink is not HTML).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _output;
    private readonly Func<DateTimeOffset> _clock;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();

    public GatewayTelemetry(TextWriter output, Func<DateTimeOffset> clock)
    {
        _output = output;
        _clock = clock;
    }

    /// <summary>The sum of every value emitted for a metric, optionally for one dimension value.</summary>
    public double Total(string metric, string? dimensionValue = null)
    {
        return _totals.TryGetValue(dimensionValue == null ? metric : metric + "|" + dimensionValue, out double v) ? v : 0;
    }

    public void Info(string message, params LogField[] fields) => Log("info", message, fields);

    public void Warn(string message, params LogField[] fields) => Log("warn", message, fields);

    public void Error(string message, params LogField[] fields) => Log("error", message, fields);

    /// <summary>Emits one metric, with at most one dimension, as an EMF line.</summary>
    public void Metric(string name, double value, string unit, string? dimensionName = null, string? dimensionValue = null)
    {
        _totals.AddOrUpdate(name, value, (_, v) => v + value);
        if (dimensionValue != null)
        {
            _totals.AddOrUpdate(name + "|" + dimensionValue, value, (_, v) => v + value);
        }

        var buffer = new ArrayBufferWriterStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", _clock().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            // A dimensioned metric is also published as its total, so alarms can watch the sum.
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Service");
            json.WriteEndArray();
            if (dimensionName != null)
            {
                json.WriteStartArray();
                json.WriteStringValue("Service");
                json.WriteStringValue(dimensionName);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Service", "gateway");
            if (dimensionName != null)
            {
                json.WriteString(dimensionName, dimensionValue);
            }

            json.WriteNumber(name, value);
            json.WriteEndObject();
        }

        WriteLine(buffer.ToString());
    }

    /// <summary>A stable, non-reversible short name for a task token, for correlating logs.</summary>
    public static string Fingerprint(string taskToken)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(taskToken), hash);
        return "tok-" + Convert.ToHexStringLower(hash[..6]);
    }

    private void Log(string level, string message, LogField[] fields)
    {
        var buffer = new ArrayBufferWriterStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _clock().ToString("O"));
            json.WriteString("level", level);
            json.WriteString("message", message);
            foreach (LogField f in fields)
            {
                if (f.Number is double n)
                {
                    json.WriteNumber(f.Name, n);
                }
                else if (f.Text != null)
                {
                    json.WriteString(f.Name, f.Text);
                }
            }

            json.WriteEndObject();
        }

        WriteLine(buffer.ToString());
    }

    private void WriteLine(string line)
    {
        lock (_writeLock)
        {
            _output.WriteLine(line);
        }
    }

    /// <summary>A MemoryStream that renders its UTF-8 content.</summary>
    private sealed class ArrayBufferWriterStream : MemoryStream
    {
        public override string ToString() => Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
    }
}
