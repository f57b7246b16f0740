using System.Security.Cryptography.X509Certificates;

namespace KitchenButton.Firmware.Storage
{
    /// <summary>
    /// The TLS credentials: the device certificate and its private key (PEM files on I:\, written at
    /// flashing time) and the Amazon root CA. Without a root CA file the TLS stack falls back to the CA
    /// bundle in the device's configuration block (uploaded with nanoff).
    /// </summary>
    internal sealed class Credentials
    {
        private Credentials(X509Certificate? rootCa, X509Certificate2 device)
        {
            RootCa = rootCa;
            Device = device;
        }

        public X509Certificate? RootCa { get; }

        public X509Certificate2 Device { get; }

        /// <summary>Loads the credentials; null with <paramref name="problem"/> set when something is missing or invalid.</summary>
        public static Credentials? Load(FlashFiles flash, out string problem)
        {
            problem = string.Empty;
            string? certificate = flash.ReadText(FirmwareInfo.CertificateFile);
            string? key = flash.ReadText(FirmwareInfo.PrivateKeyFile);
            if (certificate == null || key == null)
            {
                problem = "missing " + (certificate == null ? FirmwareInfo.CertificateFile : FirmwareInfo.PrivateKeyFile);
                return null;
            }

            try
            {
                byte[]? rootCa = flash.Read(FirmwareInfo.RootCaFile);
                var device = new X509Certificate2(certificate, key, string.Empty);
                return new Credentials(rootCa == null ? null : new X509Certificate(rootCa), device);
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
