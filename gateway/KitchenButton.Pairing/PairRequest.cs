namespace KitchenButton.Pairing;

/// <summary>What the operator asks for: which button, where, on which Wi-Fi.</summary>
public sealed record PairRequest(string Thing, string StationId, string WifiSsid, string WifiPassword, string OutputRoot)
{
    /// <summary>Re-pair a thing that already has a device record (for a replaced board, never a second one).</summary>
    public bool Force { get; init; }
}

/// <summary>Where the stack's IoT pieces are: names from the CDK outputs.</summary>
public sealed record PairingTarget(string ThingTypeName, string DevicePolicyName, string IotDataEndpoint);

/// <summary>What pairing produced: the folder to upload to the board.</summary>
public sealed record PairResult(string Thing, string Folder, string CertificateArn);
