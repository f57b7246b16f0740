using System;
using System.Security.Cryptography.X509Certificates;

namespace KitchenButton.Simulator.Mqtt;

/// <summary>A client certificate with its key, and the CA the broker's certificate must chain to.</summary>
public sealed record TlsIdentity(X509Certificate2 Certificate, X509Certificate2 CertificateAuthority)
{
    /// <summary>From PEM text, as the credentials files of a button hold them.</summary>
    public static TlsIdentity FromPem(string certificatePem, string privateKeyPem, string caPem)
    {
        // Re-import through PKCS#12 so the key is usable by SslStream on every platform.
        using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        return new TlsIdentity(certificate, X509Certificate2.CreateFromPem(caPem));
    }

    /// <summary>The thing (or service) name: the certificate's common name.</summary>
    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) ?? throw new InvalidOperationException("certificate has no common name");
}
