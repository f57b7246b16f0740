using System.Text;
using System.Text.Json;
using KitchenButton.Device.Platform;
using KitchenButton.Device.Protocol;
using Xunit;

namespace KitchenButton.Device.Tests.Protocol;

public sealed class HealthReportEncoderTests
{
    private readonly HealthReportEncoder _encoder = new();

    private string Encode(string fw, uint boot, long uptime, int queued, uint freeMem, int rssi, string lastError)
    {
        var health = new DeviceHealth { FreeMemoryBytes = freeMem, WifiRssi = rssi, LastError = lastError };
        int length = _encoder.Encode(fw, boot, uptime, queued, health);
        return Encoding.ASCII.GetString(_encoder.Buffer, 0, length);
    }

    [Fact]
    public void Writes_the_protocol_fields_in_order()
    {
        Assert.Equal("{\"v\":1,\"fw\":\"1.2.0\",\"boot\":42,\"uptime\":3600,\"freeMem\":81234,\"rssi\":-61,\"queued\":2,\"lastError\":\"\"}",
            Encode("1.2.0", 42, 3600, 2, 81234, -61, string.Empty));
    }

    [Fact]
    public void Text_is_escaped_cut_to_its_limit_and_kept_ascii()
    {
        string json = Encode("fw\"x\\y", 1, 1, 0, 1, -1, "bad \u00e9 \n" + new string('e', 300));
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("fw\"x\\y", doc.RootElement.GetProperty("fw").GetString());
        string lastError = doc.RootElement.GetProperty("lastError").GetString()!;
        Assert.Equal(HealthReportEncoder.MaxLastErrorLength, lastError.Length);
        Assert.StartsWith("bad ? ?eee", lastError);
    }

    [Theory]
    [InlineData(-200, -127)]
    [InlineData(12, 0)]
    [InlineData(0, 0)]
    [InlineData(-127, -127)]
    public void Rssi_stays_in_the_protocol_range(int given, int written)
    {
        using JsonDocument doc = JsonDocument.Parse(Encode("1", 1, 1, 0, 1, given, ""));
        Assert.Equal(written, doc.RootElement.GetProperty("rssi").GetInt32());
    }

    [Fact]
    public void The_longest_report_fits_the_buffer()
    {
        string json = Encode(new string('"', 100), uint.MaxValue, long.MaxValue, int.MaxValue, uint.MaxValue, -127, new string('\\', 500));
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal(32, doc.RootElement.GetProperty("fw").GetString()!.Length);
    }
}
