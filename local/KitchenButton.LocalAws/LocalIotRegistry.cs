using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// The AWS IoT control-plane operations the gateway and the operators' tool use (restJson1), with
/// the service's rules that matter to them: a thing name is unique, a certificate is deleted only
/// when inactive and detached, a thing is deleted only with no principal attached, and errors carry
/// the service's codes (ResourceAlreadyExistsException, ResourceNotFoundException,
/// CertificateStateException, DeleteConflictException).
/// </summary>
public sealed class LocalIotRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<string, string> _things = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _certificates = new(StringComparer.Ordinal);
    private readonly HashSet<(string Policy, string Certificate)> _policyAttachments = new();
    private readonly HashSet<(string Thing, string Certificate)> _thingPrincipals = new();

    /// <summary>The next calls of this operation ("CreateThing", "AttachPolicy", ...) answer 500 InternalFailureException.</summary>
    private readonly Dictionary<string, int> _failNext = new(StringComparer.Ordinal);

    /// <summary>
    /// Issues a new certificate for a certificate id (its common name), signed by a CA a broker trusts;
    /// self-signed when not set. The local stack sets its own CA here, so a board paired against it connects.
    /// </summary>
    public Func<string, (string CertificatePem, string PrivateKeyPem)>? Issuer { get; set; }

    /// <summary>
    /// Told, after every change, which certificates may act for which thing (active and attached): the
    /// local stack turns this into its broker's access list, as the device policy does in AWS IoT.
    /// </summary>
    public Action<IReadOnlyList<(string Thing, string CertificateId)>>? AccessChanged { get; set; }

    /// <summary>Things by name, with their station attribute.</summary>
    public IReadOnlyDictionary<string, string> Things
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, string>(_things);
            }
        }
    }

    /// <summary>Certificate ARNs that exist, active or not.</summary>
    public IReadOnlyList<string> Certificates
    {
        get
        {
            lock (_lock)
            {
                return _certificates.Keys.ToArray();
            }
        }
    }

    /// <summary>ACTIVE, INACTIVE, or null for a certificate that does not exist.</summary>
    public string? StatusOf(string certificateArn)
    {
        lock (_lock)
        {
            return _certificates.TryGetValue(certificateArn, out string? status) ? status : null;
        }
    }

    public IReadOnlyList<(string Policy, string Certificate)> PolicyAttachments
    {
        get
        {
            lock (_lock)
            {
                return _policyAttachments.ToArray();
            }
        }
    }

    public IReadOnlyList<(string Thing, string Certificate)> ThingPrincipals
    {
        get
        {
            lock (_lock)
            {
                return _thingPrincipals.ToArray();
            }
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of <paramref name="operation"/> (its API name) fail with a 500.</summary>
    public void FailNext(string operation, int times = 1)
    {
        lock (_lock)
        {
            _failNext[operation] = (_failNext.TryGetValue(operation, out int n) ? n : 0) + times;
        }
    }

    internal static bool Handles(HttpListenerRequest request)
    {
        string path = request.Url!.AbsolutePath;
        return path.StartsWith("/things/", StringComparison.Ordinal) || path == "/keys-and-certificate"
            || path.StartsWith("/target-policies/", StringComparison.Ordinal) || path.StartsWith("/certificates/", StringComparison.Ordinal)
            || path == "/endpoint";
    }

    /// <summary>The IoT control-plane operation a request calls (by its method and REST path), or null.</summary>
    internal static string? OperationOf(HttpListenerRequest request) => (request.HttpMethod, Segments(request)) switch
    {
        ("GET", ["endpoint"]) => "DescribeEndpoint",
        ("POST", ["things", _]) => "CreateThing",
        ("GET", ["things", _]) => "DescribeThing",
        ("PATCH", ["things", _]) => "UpdateThing",
        ("DELETE", ["things", _]) => "DeleteThing",
        ("POST", ["keys-and-certificate"]) => "CreateKeysAndCertificate",
        ("PUT", ["certificates", _]) => "UpdateCertificate",
        ("DELETE", ["certificates", _]) => "DeleteCertificate",
        ("PUT", ["target-policies", _]) => "AttachPolicy",
        ("POST", ["target-policies", _]) => "DetachPolicy",
        ("PUT", ["things", _, "principals"]) => "AttachThingPrincipal",
        ("DELETE", ["things", _, "principals"]) => "DetachThingPrincipal",
        ("GET", ["things", _, "principals"]) => "ListThingPrincipals",
        _ => null,
    };

    /// <summary>
    /// The ARN IAM authorizes an operation of <see cref="OperationOf"/> against, as the Service
    /// Authorization Reference gives its resource type: the thing for the thing's own operations, the
    /// certificate for the certificate's and for attaching a policy or a thing to it (the principal in
    /// x-amzn-principal, the target in the body), "*" for the operations with none.
    /// </summary>
    internal static string ResourceOf(HttpListenerRequest request, byte[] body)
    {
        string[] segments = Segments(request);
        return OperationOf(request) switch
        {
            "CreateThing" or "DescribeThing" or "UpdateThing" or "DeleteThing" or "ListThingPrincipals" => AwsCallLog.Arn("iot", "thing/" + segments[1]),
            "UpdateCertificate" or "DeleteCertificate" => AwsCallLog.Arn("iot", "cert/" + segments[1]),
            "AttachThingPrincipal" or "DetachThingPrincipal" => request.Headers["x-amzn-principal"] ?? "*",
            "AttachPolicy" or "DetachPolicy" => TargetOrNull(body) ?? "*",
            _ => "*",
        };
    }

    private static string? TargetOrNull(byte[] body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("target", out JsonElement target) && target.ValueKind == JsonValueKind.String
                ? target.GetString()
                : null;
        }
        catch (JsonException)
        {
            // The operation answers a malformed body with its own error.
            return null;
        }
    }

    private static string[] Segments(HttpListenerRequest request) =>
        request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();

    internal async Task HandleAsync(HttpListenerContext context, byte[] body, string dataEndpointAddress)
    {
        IReadOnlyList<(string, string)>? access = null;
        Task answer = Handle(context, body, dataEndpointAddress, ref access);
        if (access != null)
        {
            AccessChanged?.Invoke(access);
        }

        await answer;
    }

    private Task Handle(HttpListenerContext context, byte[] body, string dataEndpointAddress, ref IReadOnlyList<(string, string)>? access)
    {
        HttpListenerRequest request = context.Request;
        string[] segments = Segments(request);
        string? operation = OperationOf(request);
        if (operation == null)
        {
            return Answer(context, 404, "{\"message\":\"unknown IoT operation\"}", "UnknownOperationException");
        }

        lock (_lock)
        {
            if (_failNext.TryGetValue(operation, out int failures) && failures > 0)
            {
                _failNext[operation] = failures - 1;
                return Answer(context, 500, "{\"message\":\"injected failure\"}", "InternalFailureException");
            }

            string principal = request.Headers["x-amzn-principal"] ?? string.Empty;
            if (operation is "UpdateCertificate" or "DeleteCertificate" or "AttachThingPrincipal" or "DetachThingPrincipal" or "DeleteThing")
            {
                // Worked out after the change below, under the same lock.
                access = Array.Empty<(string, string)>();
            }

            Task result = operation switch
            {
                "DescribeEndpoint" => Ok(context, "{\"endpointAddress\":\"" + dataEndpointAddress + "\"}"),
                "CreateThing" => CreateThing(context, segments[1], body),
                "DescribeThing" => _things.TryGetValue(segments[1], out string? station)
                    ? Ok(context, JsonSerializer.Serialize(new Dictionary<string, object> { ["thingName"] = segments[1], ["attributes"] = new Dictionary<string, string> { ["station"] = station } }))
                    : NotFound(context, "thing " + segments[1]),
                "UpdateThing" => UpdateThing(context, segments[1], body),
                "DeleteThing" => DeleteThing(context, segments[1]),
                "CreateKeysAndCertificate" => CreateKeysAndCertificate(context),
                "UpdateCertificate" => UpdateCertificate(context, segments[1], request.QueryString["newStatus"]),
                "DeleteCertificate" => DeleteCertificate(context, segments[1]),
                "AttachPolicy" => Attach(context, _policyAttachments.Add((segments[1], Target(body)))),
                "DetachPolicy" => _policyAttachments.Remove((segments[1], Target(body))) ? Ok(context, "{}") : NotFound(context, "attachment"),
                "AttachThingPrincipal" => _things.ContainsKey(segments[1]) ? Attach(context, _thingPrincipals.Add((segments[1], principal))) : NotFound(context, "thing " + segments[1]),
                "DetachThingPrincipal" => _thingPrincipals.Remove((segments[1], principal)) ? Ok(context, "{}") : NotFound(context, "principal of " + segments[1]),
                _ => ListThingPrincipals(context, segments[1]),
            };
            if (access != null)
            {
                access = _thingPrincipals.Where(p => _certificates.TryGetValue(p.Certificate, out string? status) && status == "ACTIVE")
                    .Select(p => (p.Thing, p.Certificate[(p.Certificate.LastIndexOf('/') + 1)..])).ToArray();
            }

            return result;
        }
    }

    private Task CreateThing(HttpListenerContext context, string thing, byte[] body)
    {
        using JsonDocument doc = JsonDocument.Parse(body);
        string station = doc.RootElement.GetProperty("attributePayload").GetProperty("attributes").GetProperty("station").GetString()!;
        if (!_things.TryAdd(thing, station))
        {
            return Answer(context, 409, "{\"message\":\"thing " + thing + " already exists\"}", "ResourceAlreadyExistsException");
        }

        return Ok(context, "{\"thingName\":\"" + thing + "\",\"thingArn\":\"" + AwsCallLog.Arn("iot", "thing/" + thing) + "\",\"thingId\":\"" + Guid.NewGuid() + "\"}");
    }

    private Task UpdateThing(HttpListenerContext context, string thing, byte[] body)
    {
        if (!_things.ContainsKey(thing))
        {
            return NotFound(context, "thing " + thing);
        }

        using JsonDocument doc = JsonDocument.Parse(body);
        if (doc.RootElement.GetProperty("attributePayload").GetProperty("attributes").TryGetProperty("station", out JsonElement station))
        {
            _things[thing] = station.GetString()!;
        }

        return Ok(context, "{}");
    }

    private Task DeleteThing(HttpListenerContext context, string thing)
    {
        if (_thingPrincipals.Any(p => p.Thing == thing))
        {
            return Answer(context, 409, "{\"message\":\"thing " + thing + " still has principals attached\"}", "InvalidRequestException");
        }

        // Deleting a thing that does not exist succeeds, as in AWS IoT.
        _things.Remove(thing);
        return Ok(context, "{}");
    }

    private Task CreateKeysAndCertificate(HttpListenerContext context)
    {
        if (Issuer != null)
        {
            string issuedId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var (pem, privateKey) = Issuer(issuedId);
            string issuedArn = AwsCallLog.Arn("iot", "cert/" + issuedId);
            _certificates[issuedArn] = "ACTIVE";
            return Ok(context, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["certificateArn"] = issuedArn,
                ["certificateId"] = issuedId,
                ["certificatePem"] = pem,
                ["keyPair"] = new Dictionary<string, string> { ["PrivateKey"] = privateKey },
            }));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=AWS IoT Certificate", key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = csr.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(30));
        string id = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        string arn = AwsCallLog.Arn("iot", "cert/" + id);
        _certificates[arn] = "ACTIVE";
        return Ok(context, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["certificateArn"] = arn,
            ["certificateId"] = id,
            ["certificatePem"] = certificate.ExportCertificatePem(),
            ["keyPair"] = new Dictionary<string, string> { ["PublicKey"] = key.ExportSubjectPublicKeyInfoPem(), ["PrivateKey"] = key.ExportPkcs8PrivateKeyPem() },
        }));
    }

    private Task UpdateCertificate(HttpListenerContext context, string id, string? status)
    {
        string? arn = ArnOf(id);
        if (arn == null)
        {
            return NotFound(context, "certificate " + id);
        }

        if (status is not ("ACTIVE" or "INACTIVE"))
        {
            return Answer(context, 400, "{\"message\":\"newStatus must be ACTIVE or INACTIVE\"}", "InvalidRequestException");
        }

        _certificates[arn] = status;
        return Ok(context, "{}");
    }

    private Task DeleteCertificate(HttpListenerContext context, string id)
    {
        string? arn = ArnOf(id);
        if (arn == null)
        {
            return NotFound(context, "certificate " + id);
        }

        if (_certificates[arn] == "ACTIVE")
        {
            return Answer(context, 409, "{\"message\":\"the certificate is active\"}", "CertificateStateException");
        }

        if (_policyAttachments.Any(a => a.Certificate == arn) || _thingPrincipals.Any(p => p.Certificate == arn))
        {
            return Answer(context, 409, "{\"message\":\"the certificate is still attached\"}", "DeleteConflictException");
        }

        _certificates.Remove(arn);
        return Ok(context, "{}");
    }

    private Task ListThingPrincipals(HttpListenerContext context, string thing)
    {
        if (!_things.ContainsKey(thing))
        {
            return NotFound(context, "thing " + thing);
        }

        string[] principals = _thingPrincipals.Where(p => p.Thing == thing).Select(p => p.Certificate).ToArray();
        return Ok(context, JsonSerializer.Serialize(new Dictionary<string, string[]> { ["principals"] = principals }));
    }

    private string? ArnOf(string id) => _certificates.Keys.FirstOrDefault(arn => arn.EndsWith("/" + id, StringComparison.Ordinal));

    private static string Target(byte[] body)
    {
        using JsonDocument doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("target").GetString()!;
    }

    private static Task Attach(HttpListenerContext context, bool _) => Ok(context, "{}");

    private static Task Ok(HttpListenerContext context, string json) => Answer(context, 200, json, null);

    private static Task NotFound(HttpListenerContext context, string what) =>
        Answer(context, 404, "{\"message\":\"no " + what + "\"}", "ResourceNotFoundException");

    private static Task Answer(HttpListenerContext context, int status, string json, string? errorType) =>
        AwsWire.AnswerAsync(context, status, json, errorType);
}
