using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KitchenButton.Local;

/// <summary>A certificate (PEM) and its private key (PKCS#8 PEM), as AWS IoT hands them out.</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem);

/// <summary>
/// A throw-away CA for the local stack, standing in for AWS IoT's certificate issuing: a server
/// certificate for the broker and one client certificate per button (CN = thing name). Keys live in
/// memory and in the stack's temporary folder only.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;

    public LocalCertificateAuthority()
    {
        var request = new CertificateRequest("CN=KitchenButton local CA", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>The broker's certificate, valid for localhost and 127.0.0.1.</summary>
    public IssuedCertificate IssueServer()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        return Issue("localhost", serverAuth: true, san.Build());
    }

    /// <summary>A client certificate whose common name is the thing (or service) name.</summary>
    public IssuedCertificate IssueClient(string commonName) => Issue(commonName, serverAuth: false, null);

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    private IssuedCertificate Issue(string commonName, bool serverAuth, X509Extension? subjectAlternativeNames)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") }, false));
        if (subjectAlternativeNames != null)
        {
            request.CertificateExtensions.Add(subjectAlternativeNames);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(_certificate, now.AddDays(-1), now.AddDays(7), serial);
        return new IssuedCertificate(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
