using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KitchenButton.Device.Configuration;
using Xunit;

namespace KitchenButton.Device.Tests.Configuration;

public sealed class CredentialFormatTests
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly X509Certificate2 Certificate = new CertificateRequest("CN=pizza-oven-1", Key, HashAlgorithmName.SHA256)
        .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    [Fact]
    public void A_PEM_certificate_as_written_to_flash_is_PEM_so_it_goes_through_the_string_constructor()
    {
        // No trailing NUL: through X509Certificate(byte[]) mbedTLS would parse it as DER and fail.
        byte[] pem = Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem() + "\n");
        Assert.NotEqual(0, pem[^1]);
        Assert.Equal(CredentialEncoding.Pem, CredentialFormat.OfCertificate(pem, pem.Length));
    }

    [Fact]
    public void PEM_with_a_byte_order_mark_Windows_line_ends_or_leading_blank_lines_is_still_PEM()
    {
        string text = "\r\n\r\n" + Certificate.ExportCertificatePem().Replace("\n", "\r\n");
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(text)];
        Assert.Equal(CredentialEncoding.Pem, CredentialFormat.OfCertificate(withBom, withBom.Length));
    }

    [Fact]
    public void A_DER_certificate_goes_through_the_byte_array_constructor()
    {
        byte[] der = Certificate.RawData;
        Assert.Equal(CredentialEncoding.Der, CredentialFormat.OfCertificate(der, der.Length));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")] // a key saved as the certificate
    [InlineData("# replace with your certificate\n")]                                    // certs.example's placeholder style
    public void Anything_else_is_unrecognised_with_no_exception(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(CredentialEncoding.Unrecognised, CredentialFormat.OfCertificate(bytes, bytes.Length));
    }

    [Fact]
    public void Truncated_or_padded_DER_is_unrecognised()
    {
        byte[] der = Certificate.RawData;
        Assert.Equal(CredentialEncoding.Unrecognised, CredentialFormat.OfCertificate(der, der.Length - 1));
        byte[] padded = [.. der, 0];
        Assert.Equal(CredentialEncoding.Unrecognised, CredentialFormat.OfCertificate(padded, padded.Length));
    }

    [Fact]
    public void Every_unencrypted_PEM_private_key_form_is_accepted()
    {
        using RSA rsa = RSA.Create(2048);
        foreach (string pem in new[] { Key.ExportPkcs8PrivateKeyPem(), Key.ExportECPrivateKeyPem(), rsa.ExportRSAPrivateKeyPem() })
        {
            byte[] bytes = Encoding.ASCII.GetBytes(pem);
            Assert.Null(CredentialFormat.PrivateKeyProblem(bytes, bytes.Length));
        }
    }

    [Fact]
    public void A_DER_encrypted_or_missing_key_is_refused_with_a_reason()
    {
        byte[] der = Key.ExportPkcs8PrivateKey();
        Assert.StartsWith("the private key is DER", CredentialFormat.PrivateKeyProblem(der, der.Length));

        byte[] encrypted = Encoding.ASCII.GetBytes(Key.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1)));
        Assert.Equal("the private key is encrypted: the button needs it unencrypted", CredentialFormat.PrivateKeyProblem(encrypted, encrypted.Length));

        byte[] certificate = Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem());
        Assert.Equal("the private key file holds no PEM private key", CredentialFormat.PrivateKeyProblem(certificate, certificate.Length));
        Assert.Equal("the private key is not a PEM file", CredentialFormat.PrivateKeyProblem([], 0));
    }
}
