namespace KitchenButton.Cli.Devices;

/// <summary>What the operator asks for: which button, where, on which Wi-Fi, where its files go, and the serial port the board is flashed on (when known).</summary>
public sealed record PairRequest(string Thing, string StationId, string WifiSsid, string WifiPassword, string OutputRoot, string? SerialPort = null);

/// <summary>What pairing produced: the folder to upload to the board.</summary>
public sealed record PairResult(string Thing, string Folder, string CertificateArn);
