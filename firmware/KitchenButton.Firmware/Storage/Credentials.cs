using System.Security.Cryptography.X509Certificates;
using System.Text;
using KitchenButton.Device.Configuration;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// The TLS credentials: the device certificate, its key and the broker's root CA, as files on I:\
    /// (copied there by <c>nanoff --filedeployment</c>), the one route; a missing one is a credentials
    /// fault naming it. The configuration block's stored device certificate is not used: mbedTLS parses
    /// it as key and as certificate from one NUL-terminated blob that no maker's tool writes
    /// (nf-interpreter ssl_generic_init_internal.cpp). Which constructor each file goes through is the core's
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

        /// <summary>The device certificate and its key, from I:\.</summary>
        public X509Certificate2? Device { get; }

        /// <summary>Loads the credentials; null with <paramref name="problem"/> set when something is missing or invalid.</summary>
        public static Credentials? Load(FlashFiles flash, out string problem)
        {
            problem = string.Empty;
            byte[]? certificate = flash.Read(FirmwareInfo.CertificateFile);
            byte[]? key = flash.Read(FirmwareInfo.PrivateKeyFile);
            byte[]? rootCaFile = flash.Read(FirmwareInfo.RootCaFile);
            string? missing = certificate == null ? FirmwareInfo.CertificateFile
                : key == null ? FirmwareInfo.PrivateKeyFile
                : rootCaFile == null ? FirmwareInfo.RootCaFile
                : null;
            if (missing != null)
            {
                // A missing file is a flashing mistake (nanoff reports it and still ends with success):
                // a fault naming it, never a fallback that would fail later as an unrelated TLS error.
                problem = "missing " + missing + " (nanoff --filedeployment copies the three credential files to I:\\; hardware.md, step 6)";
                return null;
            }

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
                X509Certificate ca = caEncoding == CredentialEncoding.Pem ? new X509Certificate(Text(rootCaFile!)) : new X509Certificate(rootCaFile!);

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
