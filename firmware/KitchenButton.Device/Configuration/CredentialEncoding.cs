namespace KitchenButton.Device.Configuration
{
    /// <summary>How a credential file on the board's flash is encoded.</summary>
    public enum CredentialEncoding
    {
        /// <summary>Neither PEM nor DER: the file is refused with a reason.</summary>
        Unrecognised = 0,

        /// <summary>Base64 text between <c>-----BEGIN …-----</c> lines: loaded through nanoFramework's string constructors.</summary>
        Pem,

        /// <summary>One binary ASN.1 SEQUENCE whose length is the file's: loaded through the byte-array constructors.</summary>
        Der,
    }
}
