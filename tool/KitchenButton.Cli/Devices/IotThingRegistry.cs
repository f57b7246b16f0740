using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;

namespace KitchenButton.Cli.Devices;

/// <summary>A new certificate and its keys, exactly as AWS IoT returns them once.</summary>
public sealed record ProvisionedCertificate(string CertificateArn, string CertificateId, string CertificatePem, string PrivateKeyPem);

/// <summary>
/// The AWS IoT control-plane operations operators need (restJson1, signed for "iot"): things,
/// certificates and their attachments. Stands in for AWSSDK.IoT, which is not served here; the
/// paths and shapes are those of the IoT API reference.
/// </summary>
public sealed class IotThingRegistry
{
    private const string Json = "application/json";

    private readonly SignedAwsHttpClient _client;

    /// <param name="client">Signed for "iot" against the region's IoT control-plane endpoint.</param>
    public IotThingRegistry(SignedAwsHttpClient client)
    {
        _client = client;
    }

    /// <summary>The certificate's id: the last part of its ARN (arn:aws:iot:region:account:cert/ID).</summary>
    public static string CertificateId(string certificateArn) => certificateArn[(certificateArn.LastIndexOf('/') + 1)..];

    public async Task CreateThingAsync(string thingName, string thingTypeName, string stationId, CancellationToken cancellationToken)
    {
        byte[] body = JsonBody.Write(json =>
        {
            json.WriteString("thingTypeName", thingTypeName);
            WriteStation(json, stationId, merge: false);
        });
        await _client.SendAsync(HttpMethod.Post, "/things/" + Uri.EscapeDataString(thingName), body, Json, null, cancellationToken);
    }

    /// <summary>UpdateThing (PATCH /things/{name}): the station attribute, merged into the others.</summary>
    public async Task SetStationAsync(string thingName, string stationId, CancellationToken cancellationToken)
    {
        byte[] body = JsonBody.Write(json => WriteStation(json, stationId, merge: true));
        await _client.SendAsync(HttpMethod.Patch, "/things/" + Uri.EscapeDataString(thingName), body, Json, null, cancellationToken);
    }

    /// <summary>DescribeThing: whether the thing exists.</summary>
    public async Task<bool> ThingExistsAsync(string thingName, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SendAsync(HttpMethod.Get, "/things/" + Uri.EscapeDataString(thingName), Array.Empty<byte>(), Json, null, cancellationToken);
            return true;
        }
        catch (AwsServiceException e) when (e.Error.Code == "ResourceNotFoundException")
        {
            return false;
        }
    }

    public async Task DeleteThingAsync(string thingName, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Delete, "/things/" + Uri.EscapeDataString(thingName), Array.Empty<byte>(), Json, null, cancellationToken);
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

    /// <summary>UpdateCertificate: ACTIVE or INACTIVE. An inactive certificate cannot connect.</summary>
    public async Task SetCertificateActiveAsync(string certificateArn, bool active, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Put, "/certificates/" + Uri.EscapeDataString(CertificateId(certificateArn)) + "?newStatus=" + (active ? "ACTIVE" : "INACTIVE"),
            Array.Empty<byte>(), Json, null, cancellationToken);
    }

    /// <summary>DeleteCertificate: only an inactive certificate with no policy or thing attached.</summary>
    public async Task DeleteCertificateAsync(string certificateArn, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Delete, "/certificates/" + Uri.EscapeDataString(CertificateId(certificateArn)), Array.Empty<byte>(), Json, null, cancellationToken);
    }

    public async Task AttachPolicyAsync(string policyName, string certificateArn, CancellationToken cancellationToken)
    {
        byte[] body = JsonBody.Write(json => json.WriteString("target", certificateArn));
        await _client.SendAsync(HttpMethod.Put, "/target-policies/" + Uri.EscapeDataString(policyName), body, Json, null, cancellationToken);
    }

    /// <summary>DetachPolicy is a POST to the same path AttachPolicy PUTs to.</summary>
    public async Task DetachPolicyAsync(string policyName, string certificateArn, CancellationToken cancellationToken)
    {
        byte[] body = JsonBody.Write(json => json.WriteString("target", certificateArn));
        await _client.SendAsync(HttpMethod.Post, "/target-policies/" + Uri.EscapeDataString(policyName), body, Json, null, cancellationToken);
    }

    public async Task AttachThingPrincipalAsync(string thingName, string certificateArn, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Put, "/things/" + Uri.EscapeDataString(thingName) + "/principals", Array.Empty<byte>(), Json, null,
            new[] { ("x-amzn-principal", certificateArn) }, cancellationToken);
    }

    public async Task DetachThingPrincipalAsync(string thingName, string certificateArn, CancellationToken cancellationToken)
    {
        await _client.SendAsync(HttpMethod.Delete, "/things/" + Uri.EscapeDataString(thingName) + "/principals", Array.Empty<byte>(), Json, null,
            new[] { ("x-amzn-principal", certificateArn) }, cancellationToken);
    }

    /// <summary>ListThingPrincipals: the certificates attached to the thing (empty when the thing does not exist).</summary>
    public async Task<IReadOnlyList<string>> ListThingPrincipalsAsync(string thingName, CancellationToken cancellationToken)
    {
        var principals = new List<string>();
        string? next = null;
        do
        {
            string path = "/things/" + Uri.EscapeDataString(thingName) + "/principals" + (next == null ? string.Empty : "?nextToken=" + Uri.EscapeDataString(next));
            byte[] answer;
            try
            {
                answer = await _client.SendAsync(HttpMethod.Get, path, Array.Empty<byte>(), Json, null, cancellationToken);
            }
            catch (AwsServiceException e) when (e.Error.Code == "ResourceNotFoundException")
            {
                return principals;
            }

            using JsonDocument doc = JsonDocument.Parse(answer);
            if (doc.RootElement.TryGetProperty("principals", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement p in list.EnumerateArray())
                {
                    if (p.GetString() is { } arn)
                    {
                        principals.Add(arn);
                    }
                }
            }

            next = doc.RootElement.TryGetProperty("nextToken", out JsonElement n) ? n.GetString() : null;
        }
        while (!string.IsNullOrEmpty(next));
        return principals;
    }

    private static void WriteStation(Utf8JsonWriter json, string stationId, bool merge)
    {
        json.WriteStartObject("attributePayload");
        json.WriteStartObject("attributes");
        json.WriteString("station", stationId);
        json.WriteEndObject();
        if (merge)
        {
            json.WriteBoolean("merge", true);
        }

        json.WriteEndObject();
    }

}
