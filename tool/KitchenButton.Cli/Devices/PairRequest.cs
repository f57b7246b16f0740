namespace KitchenButton.Cli.Devices;

/// <summary>What the operator asks for: which button, where, on which Wi-Fi, and where its files go.</summary>
public sealed record PairRequest(string Thing, string StationId, string WifiSsid, string WifiPassword, string OutputRoot);

/// <summary>What pairing produced: the folder to upload to the board.</summary>
public sealed record PairResult(string Thing, string Folder, string CertificateArn);
