using System;
using System.Buffers;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// SigV4 for the awsJson1.0 requests on the press path (DynamoDB, Step Functions): POST / with no query,
/// signed headers content-type, host, x-amz-content-sha256, x-amz-date, x-amz-security-token (with
/// temporary credentials) and x-amz-target. Its shape is fixed, so the canonical request is written
/// straight into a pooled buffer and the signing key is derived once a day instead of per request;
/// <see cref="SigV4RequestSigner"/> signs everything else through the SDK's general signer.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
/// </summary>
public sealed class AwsJsonRequestSigner
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    private readonly object _keyLock = new();
    private string? _keyScope;
    private string? _keySecret;
    private byte[]? _signingKey;

    /// <summary>True for the requests this signer handles: awsJson1.0, POST to the root path, no query, no extra headers.</summary>
    public static bool Handles(HttpMethod method, string pathAndQuery, string? target, (string Name, string Value)[]? headers) =>
        method == HttpMethod.Post && pathAndQuery == "/" && target != null && headers == null;

    /// <summary>Adds X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Security-Token (temporary credentials) and Authorization.</summary>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, string contentType, string target, string service, string region, ImmutableCredentials credentials, DateTime signingTimeUtc)
    {
        Uri uri = request.RequestUri ?? throw new ArgumentException("request has no URI", nameof(request));
        string host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        string date = signingTimeUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string day = date[..8];
        string scope = day + "/" + region + "/" + service + "/aws4_request";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        string payloadHash = Convert.ToHexStringLower(hash);
        bool token = credentials.UseToken;
        string signedHeaders = token
            ? "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target"
            : "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target";

        var canonical = new ArrayBufferWriter<byte>(512);
        Append(canonical, "POST\n/\n\ncontent-type:");
        Append(canonical, contentType);
        Append(canonical, "\nhost:");
        Append(canonical, host);
        Append(canonical, "\nx-amz-content-sha256:");
        Append(canonical, payloadHash);
        Append(canonical, "\nx-amz-date:");
        Append(canonical, date);
        if (token)
        {
            Append(canonical, "\nx-amz-security-token:");
            Append(canonical, credentials.Token.Trim());
        }

        Append(canonical, "\nx-amz-target:");
        Append(canonical, target);
        Append(canonical, "\n\n");
        Append(canonical, signedHeaders);
        Append(canonical, "\n");
        Append(canonical, payloadHash);
        SHA256.HashData(canonical.WrittenSpan, hash);

        string stringToSign = Algorithm + "\n" + date + "\n" + scope + "\n" + Convert.ToHexStringLower(hash);
        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(SigningKey(credentials.SecretKey, scope, day, region, service), Encoding.UTF8.GetBytes(stringToSign), signature);

        request.Headers.TryAddWithoutValidation("X-Amz-Date", date);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        if (token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        request.Headers.TryAddWithoutValidation("Authorization",
            Algorithm + " Credential=" + credentials.AccessKey + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + Convert.ToHexStringLower(signature));
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request"), kept for its scope.</summary>
    private byte[] SigningKey(string secret, string scope, string day, string region, string service)
    {
        lock (_keyLock)
        {
            if (_signingKey != null && _keyScope == scope && _keySecret == secret)
            {
                return _signingKey;
            }
        }

        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(day));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        lock (_keyLock)
        {
            (_keyScope, _keySecret, _signingKey) = (scope, secret, key);
        }

        return key;
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text)
    {
        int written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }
}
