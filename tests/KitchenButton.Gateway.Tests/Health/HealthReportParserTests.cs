using System;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Gateway.Health;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Health;

/// <summary>The status rule's event comes from the buttons, unsigned: whatever it holds, a report or a reason, never an exception.</summary>
public sealed class HealthReportParserTests
{
    private const string Valid = "{\"v\":1,\"fw\":\"1.2.0\",\"boot\":42,\"uptime\":3600,\"freeMem\":81234,\"rssi\":-61,\"queued\":2,\"lastError\":\"sntp retry\",\"topicThing\":\"pizza-1\",\"receivedAt\":1764000000150}";

    [Fact]
    public void The_report_the_properties_start_from_parses()
    {
        HealthReport? report = HealthReportParser.Parse(Encoding.UTF8.GetBytes(Valid), out string? problem);
        Assert.True(report != null, problem);
        Assert.Equal("pizza-1", report.Thing);
        Assert.Equal(-61, report.WifiRssi);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_changed_parses_or_is_refused_with_a_reason_never_thrown()
    {
        return Prop.ForAll(JsonMutations.Of(Valid), json => HealthReportParser.Parse(Encoding.UTF8.GetBytes(json), out string? problem) != null || problem != null);
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_throw(byte[] bytes)
    {
        return HealthReportParser.Parse(bytes ?? Array.Empty<byte>(), out string? problem) != null || problem != null;
    }
}
