using System.Net;
using System.Net.Http;
using System.Text;
using KitchenButton.Gateway.Aws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Aws;

public sealed class AwsErrorTests
{
    private static AwsError Parse(HttpStatusCode status, string body, string? header = null)
    {
        var response = new HttpResponseMessage(status);
        if (header != null)
        {
            response.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", header);
        }

        return AwsError.Parse(status, response, Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [InlineData("{\"__type\":\"com.amazonaws.swf.service.v2.model#TaskTimedOut\",\"message\":\"m\"}", null, "TaskTimedOut")]
    [InlineData("{\"__type\":\"InvalidToken\"}", null, "InvalidToken")]
    [InlineData("{\"code\":\"ThrottlingException\"}", null, "ThrottlingException")]
    [InlineData("{}", "ForbiddenException:http://internal.amazon.com/coral/com.amazon.iotdata/", "ForbiddenException")]
    [InlineData("{\"__type\":\"Other\"}", "aws.protocoltests.restjson#FooError", "FooError")]
    [InlineData("<html>bad gateway</html>", null, "Http502")]
    public void The_error_code_is_the_bare_shape_name(string body, string? header, string code)
    {
        HttpStatusCode status = code == "Http502" ? HttpStatusCode.BadGateway : HttpStatusCode.BadRequest;
        Assert.Equal(code, Parse(status, body, header).Code);
    }

    [Fact]
    public void The_message_is_read_in_either_case()
    {
        Assert.Equal("slow down", Parse(HttpStatusCode.BadRequest, "{\"__type\":\"ThrottlingException\",\"Message\":\"slow down\"}").Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{\"__type\":\"InternalFailure\"}", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "{}", true)]
    [InlineData((HttpStatusCode)429, "{}", true)]
    [InlineData(HttpStatusCode.BadRequest, "{\"__type\":\"ThrottlingException\"}", true)]
    [InlineData(HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\"}", true)]
    [InlineData(HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\"}", false)]
    [InlineData(HttpStatusCode.BadRequest, "{\"__type\":\"TaskTimedOut\"}", false)]
    [InlineData(HttpStatusCode.Forbidden, "{\"__type\":\"AccessDeniedException\"}", false)]
    public void Throttling_and_server_errors_are_transient(HttpStatusCode status, string body, bool transient)
    {
        Assert.Equal(transient, Parse(status, body).IsTransient);
    }
}
