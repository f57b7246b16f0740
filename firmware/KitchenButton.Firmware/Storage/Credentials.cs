using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// The TLS credentials. Preferred: the device certificate and key in the board's configuration
    /// block (uploaded once with the nanoFramework tools), which the TLS stack uses when no client
    /// certificate is passed to it (M2Mqtt sets <c>SslStream.UseStoredDeviceCertificate</c> exactly
    /// then). Alternative: PEM files on I:\, which win when present, so a board can be re-keyed by
    /// copying two files. Without a root CA file the TLS stack falls back to the CA bundle in the
    /// configuration block.
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
            string? certificate = flash.ReadText(FirmwareInfo.CertificateFile);
            string? key = flash.ReadText(FirmwareInfo.PrivateKeyFile);
            if ((certificate == null) != (key == null))
            {
                // Half a pair is a flashing mistake; silently falling back to the configuration
                // block would hide it behind an unrelated TLS failure later.
                problem = "missing " + (certificate == null ? FirmwareInfo.CertificateFile : FirmwareInfo.PrivateKeyFile)
                    + " (the certificate and its key go on I:\\ together, or neither)";
                return null;
            }

            try
            {
                byte[]? rootCa = flash.Read(FirmwareInfo.RootCaFile);
                X509Certificate? ca = rootCa == null ? null : new X509Certificate(rootCa);
                if (certificate == null || key == null)
                {
                    Debug.WriteLine("credentials: no certificate files on I:\\, using the configuration block's device certificate");
                    return new Credentials(ca, null);
                }

                return new Credentials(ca, new X509Certificate2(certificate, key, string.Empty));
            }
            catch (System.Exception e)
            {
                // Never echo the key: the type of the failure is enough to act on.
                problem = "certificate or key cannot be read (" + e.GetType().Name + ")";
                return null;
            }
        }
    }
}
