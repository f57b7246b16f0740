namespace KitchenButton.Device.Configuration
{
    /// <summary>
    /// Tells PEM from DER before a credential reaches the TLS stack. nanoFramework hands a byte array
    /// to mbedTLS as is, and mbedTLS parses it as PEM only when its last byte is a NUL; a PEM file read
    /// from flash has none, so through <c>X509Certificate(byte[])</c> it is parsed as DER and refused.
    /// The shell therefore loads PEM through the string constructors (which add the NUL) and DER through
    /// the byte-array ones, and names anything else. Never throws; allocates nothing.
    /// </summary>
    public static class CredentialFormat
    {
        private const string PemBegin = "-----BEGIN ";
        private const string CertificateLabel = "CERTIFICATE-----";
        private const string PrivateKeyLabel = "PRIVATE KEY-----";
        private const string EncryptedLabel = "ENCRYPTED ";

        /// <summary>The encoding of a certificate file's <paramref name="length"/> first bytes.</summary>
        public static CredentialEncoding OfCertificate(byte[] content, int length)
        {
            int start = TextStart(content, length);
            if (StartsWith(content, length, start, PemBegin))
            {
                return StartsWith(content, length, start + PemBegin.Length, CertificateLabel) ? CredentialEncoding.Pem : CredentialEncoding.Unrecognised;
            }

            return IsDerSequence(content, length) ? CredentialEncoding.Der : CredentialEncoding.Unrecognised;
        }

        /// <summary>
        /// Why a private key file cannot be used, or null when it can: nanoFramework takes the key as PEM
        /// text only, and the firmware passes no password, so an encrypted key is refused too.
        /// </summary>
        public static string? PrivateKeyProblem(byte[] content, int length)
        {
            int start = TextStart(content, length);
            if (!StartsWith(content, length, start, PemBegin))
            {
                return IsDerSequence(content, length) ? "the private key is DER: convert it to PEM (openssl pkey -in key.der -inform DER -out device.private.key)" : "the private key is not a PEM file";
            }

            int label = start + PemBegin.Length;
            if (StartsWith(content, length, label, EncryptedLabel))
            {
                return "the private key is encrypted: the button needs it unencrypted";
            }

            // "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY": the algorithm word is optional.
            for (int at = label; at < length && at <= label + 4; at++)
            {
                if (StartsWith(content, length, at, PrivateKeyLabel))
                {
                    return null;
                }
            }

            return "the private key file holds no PEM private key";
        }

        /// <summary>Skips a UTF-8 byte order mark and leading white space.</summary>
        private static int TextStart(byte[] content, int length)
        {
            int i = 0;
            if (length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
            {
                i = 3;
            }

            while (i < length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n'))
            {
                i++;
            }

            return i;
        }

        private static bool StartsWith(byte[] content, int length, int at, string text)
        {
            if (at < 0 || at + text.Length > length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (content[at + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A DER SEQUENCE (tag 0x30) whose encoded length covers exactly the file.</summary>
        private static bool IsDerSequence(byte[] content, int length)
        {
            if (length < 2 || content[0] != 0x30)
            {
                return false;
            }

            int first = content[1];
            if (first < 0x80)
            {
                return first + 2 == length;
            }

            int lengthBytes = first & 0x7F;
            if (lengthBytes == 0 || lengthBytes > 3 || length < 2 + lengthBytes)
            {
                return false;
            }

            int body = 0;
            for (int i = 0; i < lengthBytes; i++)
            {
                body = (body << 8) | content[2 + i];
            }

            return body + 2 + lengthBytes == length;
        }
    }
}
