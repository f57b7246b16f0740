using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using KitchenButton.Gateway.Observability;
using Xunit;

namespace KitchenButton.Gateway.Tests.Observability;

public sealed class GatewayTelemetryTests
{
    private readonly StringWriter _out = new();
    private readonly GatewayTelemetry _telemetry;

    public GatewayTelemetryTests()
    {
        _telemetry = new GatewayTelemetry(_out, () => DateTimeOffset.FromUnixTimeMilliseconds(1_795_608_000_123));
    }

    private JsonElement LastLine() => JsonDocument.Parse(_out.ToString().TrimEnd().Split('\n').Last()).RootElement;

    [Fact]
    public void A_dimensioned_metric_is_an_emf_line_with_its_total_as_well()
    {
        _telemetry.Metric("PressesRejected", 1, "Count", "Reason", "bad-signature");
        JsonElement line = LastLine();
        JsonElement aws = line.GetProperty("_aws");
        Assert.Equal(1_795_608_000_123, aws.GetProperty("Timestamp").GetInt64());
        JsonElement directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("KitchenButton", directive.GetProperty("Namespace").GetString());
        Assert.Equal(new[] { "Service", "Service,Reason" },
            directive.GetProperty("Dimensions").EnumerateArray().Select(d => string.Join(",", d.EnumerateArray().Select(x => x.GetString()))));
        JsonElement metric = Assert.Single(directive.GetProperty("Metrics").EnumerateArray());
        Assert.Equal("PressesRejected", metric.GetProperty("Name").GetString());
        Assert.Equal("Count", metric.GetProperty("Unit").GetString());
        Assert.Equal("gateway", line.GetProperty("Service").GetString());
        Assert.Equal("bad-signature", line.GetProperty("Reason").GetString());
        Assert.Equal(1, line.GetProperty("PressesRejected").GetDouble());
        Assert.Equal(1, _telemetry.Total("PressesRejected"));
        Assert.Equal(1, _telemetry.Total("PressesRejected", "bad-signature"));
    }

    [Fact]
    public void Logs_are_one_json_object_a_line_with_readable_text_and_no_empty_fields()
    {
        _telemetry.Warn("press rejected", LogField.Of("reason", "stale"), LogField.Of("detail", "'ts' is old"), LogField.Of("order", null), LogField.Of("latencyMs", 12.5));
        JsonElement line = LastLine();
        Assert.Equal("warn", line.GetProperty("level").GetString());
        Assert.Equal("press rejected", line.GetProperty("message").GetString());
        Assert.Equal("'ts' is old", line.GetProperty("detail").GetString());
        Assert.False(line.TryGetProperty("order", out _));
        Assert.Equal(12.5, line.GetProperty("latencyMs").GetDouble());
        Assert.Contains("'ts' is old", _out.ToString());
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
