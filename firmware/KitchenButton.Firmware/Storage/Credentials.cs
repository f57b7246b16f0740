using System.Security.Cryptography.X509Certificates;
using System.Text;
using KitchenButton.Device.Configuration;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// The TLS credentials: the device certificate and key as files on I:\ (copied there by
    /// <c>nanoff --filedeployment</c>), the one documented route. Only with neither file does the TLS
    /// stack fall back to the configuration block's stored device certificate (M2Mqtt sets
    /// <c>SslStream.UseStoredDeviceCertificate</c> exactly then), which mbedTLS parses as key and as
    /// certificate from one NUL-terminated blob that no maker's tool writes. Without a root CA file
    /// the TLS stack falls back to the CA bundle in the configuration block. Which constructor each file goes through is the core's
    /// <see cref="CredentialFormat"/> decision (PEM as text, DER as bytes), tested on the host.
    /// </summary>
    internal sealed class Credentials
    {
        private Credentials(X509Certificate? rootCa, X509Certificate2? device)
        {
            RootCa = rootCa;
            Device = device;
        }

        public X509Certificate? RootCa { get; }

        /// <summary>The certificate from I:\, or null to use the configuration block's.</summary>
        public X509Certificate2? Device { get; }

        public bool UsesConfigurationBlock => Device == null;

        /// <summary>Loads the credentials; null with <paramref name="problem"/> set when something is missing or invalid.</summary>
        public static Credentials? Load(FlashFiles flash, out string problem)
        {
            problem = string.Empty;
            byte[]? certificate = flash.Read(FirmwareInfo.CertificateFile);
            byte[]? key = flash.Read(FirmwareInfo.PrivateKeyFile);
            if ((certificate == null) != (key == null))
            {
                // Half a pair is a flashing mistake; silently falling back to the configuration
                // block would hide it behind an unrelated TLS failure later.
                problem = "missing " + (certificate == null ? FirmwareInfo.CertificateFile : FirmwareInfo.PrivateKeyFile)
                    + " (the certificate and its key go on I:\\ together, or neither)";
                return null;
            }

            byte[]? rootCaFile = flash.Read(FirmwareInfo.RootCaFile);
            CredentialEncoding caEncoding = rootCaFile == null ? CredentialEncoding.Unrecognised : CredentialFormat.OfCertificate(rootCaFile, rootCaFile.Length);
            if (rootCaFile != null && caEncoding == CredentialEncoding.Unrecognised)
            {
                problem = FirmwareInfo.RootCaFile + " is neither a PEM nor a DER certificate";
                return null;
            }

            CredentialEncoding deviceEncoding = certificate == null ? CredentialEncoding.Unrecognised : CredentialFormat.OfCertificate(certificate, certificate.Length);
            if (certificate != null && deviceEncoding == CredentialEncoding.Unrecognised)
            {
                problem = FirmwareInfo.CertificateFile + " is neither a PEM nor a DER certificate";
                return null;
            }

            string? keyProblem = key == null ? null : CredentialFormat.PrivateKeyProblem(key, key.Length);
            if (keyProblem != null)
            {
                problem = FirmwareInfo.PrivateKeyFile + ": " + keyProblem;
                return null;
            }

            try
            {
                X509Certificate? ca = rootCaFile == null ? null
                    : caEncoding == CredentialEncoding.Pem ? new X509Certificate(Text(rootCaFile)) : new X509Certificate(rootCaFile);
                if (certificate == null || key == null)
                {
                    Log.Line("credentials: no certificate files on I:\\, using the configuration block's device certificate");
                    return new Credentials(ca, null);
                }

                X509Certificate2 device = deviceEncoding == CredentialEncoding.Pem
                    ? new X509Certificate2(Text(certificate), Text(key), string.Empty)
                    : new X509Certificate2(certificate, Text(key), string.Empty);
                return new Credentials(ca, device);
            }
            catch (System.Exception e)
            {
                // Never echo the key: the type of the failure is enough to act on.
                problem = "certificate or key cannot be read (" + e.GetType().Name + ")";
                return null;
            }
        }

        private static string Text(byte[] content)
        {
            return Encoding.UTF8.GetString(content, 0, content.Length);
        }
    }
}
