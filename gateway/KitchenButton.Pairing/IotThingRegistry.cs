using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

using KitchenButton.Gateway.Aws;

namespace KitchenButton.Pairing;

/// <summary>A new certificate and its keys, exactly as AWS IoT returns them once.</summary>
public sealed record ProvisionedCertificate(string CertificateArn, string CertificateId, string CertificatePem, string PrivateKeyPem);

/// <summary>
/// The AWS IoT control-plane operations pairing needs (restJson1, signed for "iot"): create a
/// thing, create an active certificate with keys, attach the device policy and the thing to it.
/// Only the operators' tool registers things, so it lives here; the gateway's one IoT control-plane
/// call (the data endpoint) is <see cref="IotEndpointClient"/>. Stands in for AWSSDK.IoT, which is not
/// available here.
/// </summary>
public sealed class IotThingRegistry
{
    private const string Json = "application/json";

    private readonly SignedAwsHttpClient _client;

    /// <param name="client">Signed for <see cref="IotEndpointClient.SigningService"/> against <see cref="IotEndpointClient.Endpoint"/>.</param>
    public IotThingRegistry(SignedAwsHttpClient client)
    {
        _client = client;
    }

    public async Task CreateThingAsync(string thingName, string thingTypeName, string stationId, CancellationToken cancellationToken)
    {
        byte[] body = Write(json =>
        {
            json.WriteString("thingTypeName", thingTypeName);
            json.WriteStartObject("attributePayload");
            json.WriteStartObject("attributes");
            json.WriteString("station", stationId);
            json.WriteEndObject();
            json.WriteEndObject();
        });
        await _client.SendAsync(HttpMethod.Post, "/things/" + Uri.EscapeDataString(thingName), body, Json, null, cancellationToken);
    }

    public async Task<ProvisionedCertificate> CreateKeysAndCertificateAsync(CancellationToken cancellationToken)
    {
        byte[] answer = await _client.SendAsync(HttpMethod.Post, "/keys-and-certificate?setAsActive=true", Array.Empty<byte>(), Json, null, cancellationToken);
        using JsonDocument doc = JsonDocument.Parse(answer);
        JsonElement root = doc.RootElement;
        return new ProvisionedCertificate(
            root.GetProperty("certificateArn").GetString()!,
            root.GetProperty("certificateId").GetString()!,
            root.GetProperty("certificatePem").GetString()!,
            root.GetProperty("keyPair").GetProperty("PrivateKey").GetString()!);
    }

    public async Task AttachPolicyAsync(string policyName, string certificateArn, CancellationToken cancellationToken)
    {
        byte[] body = Write(json => json.WriteString("target", certificateArn));
        await _client.SendAsync(HttpMethod.Put, "/target-policies/" + Uri.EscapeDataString(policyName), body, Json, null, cancellationToken);
    }

    public async Task AttachThingPrincipalAsync(string thingName, string certificateArn, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Put, "/things/" + Uri.EscapeDataString(thingName) + "/principals", Array.Empty<byte>(), Json, null,
            new[] { ("x-amzn-principal", certificateArn) }, cancellationToken);
    }

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
