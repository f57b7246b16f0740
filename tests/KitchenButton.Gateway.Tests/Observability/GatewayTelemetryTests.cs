using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Observability;

public sealed class GatewayTelemetryTests
{
    private readonly CapturedOutput _out = new();
    private readonly GatewayTelemetry _telemetry;

    public GatewayTelemetryTests()
    {
        _telemetry = new GatewayTelemetry(_out, () => DateTimeOffset.FromUnixTimeMilliseconds(1_795_608_000_123), GatewayTelemetry.NamespaceFor("prod"));
    }

    private JsonElement LastLine() => JsonDocument.Parse(_out.Lines().Last()).RootElement;

    [Fact]
    public void An_invocation_writes_one_emf_document_holding_all_its_metrics_byte_for_byte()
    {
        // CloudWatch extracts metrics only from a log event that is the EMF document itself: the exact
        // bytes on the raw stream, one line, nothing around them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
        using (_telemetry.BeginInvocation())
        {
            _telemetry.Metric("PressesAccepted", 1, "Count");
            _telemetry.Metric("PressToCallbackLatency", 41.5, "Milliseconds");
            _telemetry.Metric("OrdersResumed", 1, "Count");
            Assert.Empty(_out.Bytes());
        }

        string expected = "{\"_aws\":{\"Timestamp\":1795608000123,\"CloudWatchMetrics\":[{\"Namespace\":\"KitchenButton/prod\","
            + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"PressesAccepted\",\"Unit\":\"Count\"},"
            + "{\"Name\":\"PressToCallbackLatency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"OrdersResumed\",\"Unit\":\"Count\"}]}]},"
            + "\"Service\":\"gateway\",\"PressesAccepted\":1,\"PressToCallbackLatency\":41.5,\"OrdersResumed\":1}\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(_out.Bytes()));
    }

    [Fact]
    public void A_metric_emitted_twice_is_one_array_and_a_dimension_value_gets_its_own_document_with_its_total()
    {
        using (_telemetry.BeginInvocation())
        {
            _telemetry.Metric("DeadTokens", 1, "Count");
            _telemetry.Metric("DeadTokens", 1, "Count");
            _telemetry.Metric("PressesRejected", 1, "Count", "Reason", "bad-signature");
        }

        string[] lines = _out.Lines();
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("[1,1]", first.RootElement.GetProperty("DeadTokens").GetRawText());

        JsonElement line = JsonDocument.Parse(lines[1]).RootElement;
        JsonElement directive = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal(new[] { "Service", "Service,Reason" },
            directive.GetProperty("Dimensions").EnumerateArray().Select(d => string.Join(",", d.EnumerateArray().Select(x => x.GetString()))));
        Assert.Equal("bad-signature", line.GetProperty("Reason").GetString());
        Assert.Equal(1, line.GetProperty("PressesRejected").GetDouble());
        Assert.Equal(2, _telemetry.Total("DeadTokens"));
        Assert.Equal(1, _telemetry.Total("PressesRejected", "bad-signature"));
    }

    [Fact]
    public async Task Concurrent_invocations_keep_their_metrics_apart()
    {
        async Task Invocation(string metric)
        {
            using InvocationScope scope = _telemetry.BeginInvocation();
            await Task.Yield();
            _telemetry.Metric(metric, 1, "Count");
            await Task.Delay(10);
            _telemetry.Metric(metric, 2, "Count");
        }

        await Task.WhenAll(Invocation("A"), Invocation("B"));
        string[] lines = _out.Lines();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l =>
        {
            JsonElement root = JsonDocument.Parse(l).RootElement;
            Assert.Single(root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray());
        });
    }

    [Fact]
    public void Outside_an_invocation_a_metric_is_written_at_once()
    {
        _telemetry.Metric("SilentButtons", 2, "Count");
        Assert.Equal(2, LastLine().GetProperty("SilentButtons").GetDouble());
        Assert.Equal("KitchenButton/prod", LastLine().GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
    }

    [Fact]
    public void Log_events_are_one_json_object_a_line_with_every_argument_a_field_readable_text_and_no_empty_fields()
    {
        GatewayLog.PressHandled(_telemetry.Logger, "oven#1#2", "oven", "pizza", null, "resumed", null, "'ts' is old", 12.5);
        JsonElement line = LastLine();
        Assert.Equal("info", line.GetProperty("level").GetString());
        Assert.Equal("press handled", line.GetProperty("message").GetString());
        Assert.Equal("oven#1#2", line.GetProperty("pressId").GetString());
        Assert.Equal("'ts' is old", line.GetProperty("detail").GetString());
        Assert.False(line.TryGetProperty("order", out _));
        Assert.Equal(12.5, line.GetProperty("latencyMs").GetDouble());
        Assert.Contains("'ts' is old", _out.ToString());
        Assert.Equal("2026-11-25T12:00:00.1230000+00:00", line.GetProperty("timestamp").GetString());

        GatewayLog.PressRejected(_telemetry.Logger, "oven#1#3", "oven", "pizza", "rejected", "stale", null);
        Assert.Equal("warn", LastLine().GetProperty("level").GetString());
        Assert.Equal("stale", LastLine().GetProperty("reason").GetString());
    }

    [Fact]
    public void A_token_fingerprint_is_stable_short_and_not_the_token()
    {
        string token = "AQB8AAAAKgAAAAMAAAAAAAAAA" + new string('x', 500);
        string fingerprint = GatewayTelemetry.Fingerprint(token);
        Assert.Equal(fingerprint, GatewayTelemetry.Fingerprint(token));
        Assert.NotEqual(fingerprint, GatewayTelemetry.Fingerprint(token + "y"));
        Assert.Matches("^tok-[0-9a-f]{12}$", fingerprint);
    }
}
