using System.Text;
using KitchenButton.Gateway.Aws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Aws;

public sealed class JsonBodyTests
{
    [Fact]
    public void Bodies_written_one_after_another_and_one_inside_another_stay_whole()
    {
        byte[] first = JsonBody.Write(json => json.WriteString("a", new string('x', 3000)));
        byte[] outer = JsonBody.Write(json =>
        {
            json.WriteString("before", "1");
            byte[] inner = JsonBody.Write(j => j.WriteNumber("n", 2));
            json.WriteString("inner", Encoding.UTF8.GetString(inner));
            json.WriteString("after", "3");
        });
        byte[] small = JsonBody.Write(json => json.WriteBoolean("ok", true));

        Assert.Equal("{\"a\":\"" + new string('x', 3000) + "\"}", Encoding.UTF8.GetString(first));
        Assert.Equal("{\"before\":\"1\",\"inner\":\"{\\u0022n\\u0022:2}\",\"after\":\"3\"}", Encoding.UTF8.GetString(outer));
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(small));
    }
}
