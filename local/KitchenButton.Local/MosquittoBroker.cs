using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using KitchenButton.LocalAws;

namespace KitchenButton.Local;

/// <summary>
/// Mosquitto as the local AWS IoT Core: TLS 1.2 only, a client certificate required, the
/// certificate's CN as the identity, and an ACL mirroring the stack's device policy (a button may
/// publish only its own press and status topics and read only its own state topic).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string GatewayIdentity = "kitchenbutton-gateway";

    private readonly Process _process;
    private readonly string _folder;

    private MosquittoBroker(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        _folder = folder;
    }

    public int Port { get; }

    private readonly object _aclLock = new();

    /// <param name="port">The port to listen on; a free one unless given.</param>
    /// <param name="calls">Where each client's MQTT operations go, as AWS IoT authorizes them (<see cref="BrokerOperations"/>); nowhere unless given.</param>
    public static async Task<MosquittoBroker> StartAsync(LocalCertificateAuthority authority, int? port = null, AwsCallLog? calls = null)
    {
        string executable = Locate();
        string folder = Path.Combine(Path.GetTempPath(), "kitchenbutton-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        IssuedCertificate server = authority.IssueServer();
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), authority.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(folder, "server.pem"), server.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(folder, "server.key"), server.PrivateKeyPem);
        await File.WriteAllTextAsync(Path.Combine(folder, "acl"), AccessControlList());
        int listen = port ?? DynaliteProcess.FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "mosquitto.conf"), new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine("persistence false")
            .AppendLine("log_dest stderr")
            .AppendLine(calls == null ? "log_type error\nlog_type warning" : "log_type all")
            .AppendLine("listener " + listen + " 127.0.0.1")
            .AppendLine("cafile " + Path.Combine(folder, "ca.pem"))
            .AppendLine("certfile " + Path.Combine(folder, "server.pem"))
            .AppendLine("keyfile " + Path.Combine(folder, "server.key"))
            .AppendLine("tls_version tlsv1.2")
            .AppendLine("require_certificate true")
            .AppendLine("use_identity_as_username true")
            .AppendLine("acl_file " + Path.Combine(folder, "acl"))
            .ToString());

        var start = new ProcessStartInfo(executable, "-c " + Path.Combine(folder, "mosquitto.conf"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");

        // Its own lines say why it failed to start; afterwards only the clients' operations are kept.
        var log = new StringBuilder();
        var operations = calls == null ? null : new BrokerOperations(calls);
        void Take(string? line)
        {
            lock (log)
            {
                if (line != null && operations?.Read(line) != true && log.Length < 64 * 1024)
                {
                    log.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("mosquitto exited with " + process.ExitCode + ": " + log);
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, listen);
                return new MosquittoBroker(process, listen, folder);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException("mosquitto did not open listen " + listen);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; the OS cleans it eventually.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Lets each certificate act for its thing (the device policy for certificates made through the
    /// IoT control plane, whose common name is their id) and reloads the list (SIGHUP): a certificate
    /// made inactive or detached loses its topics at once.
    /// </summary>
    public void Grant(IReadOnlyList<(string Thing, string CertificateId)> grants)
    {
        var acl = new StringBuilder(AccessControlList());
        foreach (var (thing, certificateId) in grants)
        {
            acl.AppendLine()
                .AppendLine("user " + certificateId)
                .AppendLine("topic write dt/kitchenbutton/" + thing + "/press")
                .AppendLine("topic write dt/kitchenbutton/" + thing + "/status")
                .AppendLine("topic read cmd/kitchenbutton/" + thing + "/state");
        }

        lock (_aclLock)
        {
            File.WriteAllText(Path.Combine(_folder, "acl"), acl.ToString());
            using Process reload = Process.Start(new ProcessStartInfo("kill", "-HUP " + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) { RedirectStandardError = true })!;
            reload.WaitForExit();
        }
    }

    /// <summary>The stack's IoT device policy, in Mosquitto's terms (%u is the certificate's CN).</summary>
    private static string AccessControlList() => new StringBuilder()
        .AppendLine("user " + GatewayIdentity)
        .AppendLine("topic read dt/kitchenbutton/#")
        .AppendLine("topic write cmd/kitchenbutton/#")
        .AppendLine()
        .AppendLine("pattern write dt/kitchenbutton/%u/press")
        .AppendLine("pattern write dt/kitchenbutton/%u/status")
        .AppendLine("pattern read cmd/kitchenbutton/%u/state")
        .ToString();

    /// <summary>Finds mosquitto, installing the Debian package when running as root on a machine without it.</summary>
    private static string Locate()
    {
        foreach (string candidate in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            RunQuietly("/usr/bin/apt-get", "update -qq");
            RunQuietly("/usr/bin/apt-get", "install -y -qq mosquitto");
            if (File.Exists("/usr/sbin/mosquitto"))
            {
                return "/usr/sbin/mosquitto";
            }
        }

        throw new InvalidOperationException("mosquitto is not installed: apt-get install mosquitto (.ci/run does)");
    }

    private static void RunQuietly(string file, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }
}
