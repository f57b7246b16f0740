using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.Runtime;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Aws;

/// <summary>Our requests, signed by AWSSDK.Core, must carry the signature AWS's own JS signer computes.</summary>
public sealed class SigV4ContractTests
{
    private static readonly DateTime SigningTime = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Step_Functions_json_request_matches_the_reference_signer(bool sessionToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://states.eu-west-1.amazonaws.com/");
        byte[] body = Encoding.UTF8.GetBytes("{\"taskToken\":\"AAAA+/==\",\"output\":\"{\\\"orderId\\\":\\\"o-1\\\"}\"}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions.SendTaskSuccess");

        await AssertSameAsReferenceAsync(request, body, "states", "eu-west-1", sessionToken);
    }

    [Theory]
    [InlineData("states", "AWSStepFunctions.SendTaskSuccess", false)]
    [InlineData("states", "AWSStepFunctions.GetExecutionHistory", true)]
    [InlineData("dynamodb", "DynamoDB_20120810.UpdateItem", false)]
    [InlineData("dynamodb", "DynamoDB_20120810.Query", true)]
    public async Task The_press_paths_json_signer_matches_the_reference_signer(string service, string target, bool sessionToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://" + service + ".eu-west-1.amazonaws.com/");
        byte[] body = Encoding.UTF8.GetBytes("{\"TableName\":\"t\",\"Key\":{\"pressId\":{\"S\":\"oven#1#2\"}},\"taskToken\":\"AAAA+/==\"}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var credentials = Credentials(sessionToken);
        new GatewayRequestSigner().Sign(request, body, "/", "application/x-amz-json-1.0", target, service, "eu-west-1", credentials, SigningTime);

        await AssertReferenceAgreesAsync(request, body, service, "eu-west-1", credentials);
    }

    [Theory]
    [InlineData("/topics/{topic}?qos=1&retain=true", false)]
    [InlineData("/topics/{topic}?retain=true&qos=1", true)]
    [InlineData("/topics/{topic}", false)]
    public async Task The_lean_signer_signs_an_iot_publish_with_an_encoded_topic_as_the_reference_does(string template, bool sessionToken)
    {
        string pathAndQuery = template.Replace("{topic}", Uri.EscapeDataString("cmd/kitchenbutton/pizza-oven_1.a~b/state"), StringComparison.Ordinal);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("https://abc123-ats.iot.eu-west-1.amazonaws.com"), pathAndQuery));
        byte[] body = Encoding.UTF8.GetBytes("{\"pending\":2}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
        var credentials = Credentials(sessionToken);
        new GatewayRequestSigner().Sign(request, body, pathAndQuery, "application/octet-stream", null, "iotdata", "eu-west-1", credentials, SigningTime);

        await AssertReferenceAgreesAsync(request, body, "iotdata", "eu-west-1", credentials);
    }

    [Fact]
    public async Task The_json_signer_keeps_its_signing_key_per_day_and_secret()
    {
        var signer = new GatewayRequestSigner();
        foreach (var (secret, time) in new[] { ("first-secret", SigningTime), ("first-secret", SigningTime.AddDays(1)), ("second-secret", SigningTime.AddDays(1)) })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "https://dynamodb.eu-west-1.amazonaws.com/");
            byte[] body = Encoding.UTF8.GetBytes("{}");
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.GetItem");
            var credentials = new ImmutableCredentials("AKIDEXAMPLE", secret, null);
            signer.Sign(request, body, "/", "application/x-amz-json-1.0", "DynamoDB_20120810.GetItem", "dynamodb", "eu-west-1", credentials, time);

            await AssertReferenceAgreesAsync(request, body, "dynamodb", "eu-west-1", credentials, time);
        }
    }

    [Fact]
    public async Task Iot_publish_with_an_encoded_topic_and_query_matches_the_reference_signer()
    {
        string path = "/topics/" + Uri.EscapeDataString("cmd/kitchenbutton/pizza-oven-1/state") + "?qos=1&retain=true";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("https://abc123-ats.iot.eu-west-1.amazonaws.com"), path));
        byte[] body = Encoding.UTF8.GetBytes("{\"pending\":2}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");

        await AssertSameAsReferenceAsync(request, body, "iotdata", "eu-west-1", sessionToken: false);
    }

    [Fact]
    public async Task Iot_control_plane_request_with_a_principal_header_matches_the_reference_signer()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "https://iot.eu-west-1.amazonaws.com/things/pizza-oven-1/principals");
        byte[] body = Array.Empty<byte>();
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation("x-amzn-principal", "arn:aws:iot:eu-west-1:123456789012:cert/abc123");

        await AssertSameAsReferenceAsync(request, body, "iot", "eu-west-1", sessionToken: false);
        Assert.Contains("x-amzn-principal", request.Headers.GetValues("Authorization").Single());
    }

    private static ImmutableCredentials Credentials(bool sessionToken) =>
        new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken ? "FwoGZXIvYXdzEXAMPLETOKEN//+=" : null);

    private static async Task AssertSameAsReferenceAsync(HttpRequestMessage request, byte[] body, string service, string region, bool sessionToken)
    {
        var credentials = Credentials(sessionToken);
        new SigV4RequestSigner().Sign(request, body, service, region, credentials, SigningTime);
        await AssertReferenceAgreesAsync(request, body, service, region, credentials);
    }

    private static async Task AssertReferenceAgreesAsync(HttpRequestMessage request, byte[] body, string service, string region, ImmutableCredentials credentials, DateTime? signingTime = null)
    {
        DateTime time = signingTime ?? SigningTime;
        bool sessionToken = credentials.UseToken;
        string ours = request.Headers.GetValues("Authorization").Single();

        // Give the reference signer exactly the headers we send, minus the signature itself.
        var headers = new Dictionary<string, string>();
        foreach (var h in request.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value);
        }

        headers["content-type"] = request.Content!.Headers.ContentType!.ToString();
        var query = new Dictionary<string, string>();
        foreach (string pair in request.RequestUri!.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            query[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        string input = JsonSerializer.Serialize(new
        {
            method = request.Method.Method,
            hostname = request.RequestUri.Host,
            path = request.RequestUri.AbsolutePath,
            query,
            headers,
            bodyBase64 = Convert.ToBase64String(body),
            service,
            region,
            accessKeyId = credentials.AccessKey,
            secretAccessKey = credentials.SecretKey,
            sessionToken = credentials.Token,
            time = time.ToString("O"),
        });
        string output = await NodeScript.RunAsync("sigv4-sign.mjs", input);
        using JsonDocument reference = JsonDocument.Parse(output);
        string theirs = reference.RootElement.GetProperty("authorization").GetString()!;

        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + time.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "/" + region + "/" + service + "/aws4_request", ours);
        Assert.Equal(theirs, ours);
        if (sessionToken)
        {
            Assert.Contains("x-amz-security-token", ours);
        }
    }
}
