using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Storage;
using KitchenButton.LocalAws;
using KitchenButton.Simulator.Mqtt;
using KitchenButton.StepFunctions.Engine;

namespace KitchenButton.Local;

/// <summary>A paired button's credentials, as the pairing step produces them.</summary>
public sealed record PairedButton(string Thing, string StationId, byte[] Secret, TlsIdentity Identity);

/// <summary>
/// The whole stack on one machine: dynalite behind its stream proxy, the local Step Functions running
/// the order workflow, Mosquitto with client-certificate TLS, the bridge, and the gateway in between,
/// on the real clock.
/// </summary>
public sealed class LocalKitchen : IAsyncDisposable
{
    private readonly DynaliteProcess _dynalite;
    private readonly LocalCertificateAuthority _authority;
    private readonly MosquittoBroker _broker;
    private readonly MqttGatewayBridge _bridge;

    private readonly IFunctionHost _functions;
    private readonly DynamoStreamProxy _stream;

    private LocalKitchen(DynaliteProcess dynalite, LocalCertificateAuthority authority, MosquittoBroker broker, MqttGatewayBridge bridge, LocalGateway gateway, IFunctionHost functions, DynamoStreamProxy stream, LocalOrderWorkflow workflow)
    {
        _functions = functions;
        _stream = stream;
        Workflow = workflow;
        _dynalite = dynalite;
        _authority = authority;
        _broker = broker;
        _bridge = bridge;
        Gateway = gateway;
    }

    public LocalGateway Gateway { get; }

    /// <summary>The order workflow on the stack's own Step Functions.</summary>
    public LocalOrderWorkflow Workflow { get; }

    public int BrokerPort => _broker.Port;

    public MqttGatewayBridge Bridge => _bridge;

    /// <summary>The environment name the local stack's resources carry (kitchenbutton-local-*), as a deployed one's do.</summary>
    public const string Environment = "local";

    /// <param name="bootstrap">
    /// The published gateway bootstrap to run the functions with, as Lambda does (one process per
    /// function against a Runtime API of the stack's own); null runs them in this process.
    /// </param>
    /// <param name="workflowTime">The order workflow's clock (a test's, to reach timeouts at once); the real one unless given.</param>
    /// <param name="portBase">Listen on fixed ports: DynamoDB at it, Step Functions (and the other AWS APIs) at +1, MQTT at +2; free ones unless given.</param>
    public static async Task<LocalKitchen> StartAsync(TextWriter log, string? bootstrap = null, TimeProvider? workflowTime = null, int? portBase = null)
    {
        // The broker, the DynamoDB proxy and the AWS endpoint record every operation they answer, by
        // whose key or client id, as IAM and IoT Core would authorize it.
        var calls = new AwsCallLog();
        DynaliteProcess dynalite = await DynaliteProcess.StartAsync();
        var authority = new LocalCertificateAuthority();
        MosquittoBroker broker = await MosquittoBroker.StartAsync(authority, portBase + 2, calls);
        var bridge = new MqttGatewayBridge(log);
        string prefix = new ResourceNames(Environment).Prefix;

        // dynalite has no streams: writes to the pending table pass a proxy that makes the stream's
        // records and hands them to the notifier function, as the table's event source mapping does.
        var host = new TaskCompletionSource<IFunctionHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = new DynamoStreamProxy(new Uri("http://127.0.0.1:" + dynalite.Port), GatewayTables.WithPrefix(prefix).Tickets,
            new[] { Attributes.StationId, Attributes.QueueKey },
            async records => await (await host.Task).InvokeAsync(nameof(Functions.NotifierAsync), Encoding.UTF8.GetBytes(records), CancellationToken.None), portBase, calls);
        LocalGateway gateway = await LocalGateway.CreateAsync(dynalite, publisher: bridge, tablePrefix: prefix, dynamoEndpoint: stream.Endpoint, awsPort: portBase + 1, calls: calls);
        LocalOrderWorkflow workflow = LocalServices.Connect(gateway, Environment, stream.Endpoint, workflowTime,
            show: call => log.WriteLine(call.Service == "sns" ? "kitchen alert: " + Subject(call.Arguments) : "metric: " + call.Action));

        // Certificates made through the local IoT control plane (`kitchenbutton device pair --local`)
        // are the broker's to trust, and their attachments its access list.
        gateway.Aws.Iot.Issuer = certificateId =>
        {
            IssuedCertificate issued = authority.IssueClient(certificateId);
            return (issued.CertificatePem, issued.PrivateKeyPem);
        };
        gateway.Aws.Iot.AccessChanged = broker.Grant;

        // What the functions publish through the IoT data plane reaches the buttons through the broker.
        gateway.Aws.PublishTo = bridge.PublishAsync;
        IFunctionHost functions = bootstrap == null
            ? new InProcessFunctions(gateway.Composition, TimeProvider.System)
            : await BootstrapFunctions.StartAsync(bootstrap, gateway, nameof(Functions.PressAsync), nameof(Functions.StatusAsync), nameof(Functions.NotifierAsync), nameof(Functions.OrderCleanupAsync));
        host.SetResult(functions);
        LocalServices.RouteEndedExecutions(workflow, gateway.Aws, Environment, json => functions.InvokeAsync(nameof(Functions.OrderCleanupAsync), json, CancellationToken.None), log);
        IssuedCertificate bridgeCertificate = authority.IssueClient(MosquittoBroker.GatewayIdentity);
        await bridge.StartAsync(broker.Port, TlsIdentity.FromPem(bridgeCertificate.CertificatePem, bridgeCertificate.PrivateKeyPem, authority.CertificatePem), functions,
            (function, ruleEvent, error, attempts) =>
            {
                bool press = function == nameof(Functions.PressAsync);
                gateway.Aws.Queues.Send(
                    press ? new ResourceNames(Environment).PressFailuresQueue : new ResourceNames(Environment).StatusFailuresQueue,
                    LocalServices.FailureRecord(press ? new ResourceNames(Environment).PressFunction : new ResourceNames(Environment).StatusFunction, ruleEvent, error, attempts));
            });
        return new LocalKitchen(dynalite, authority, broker, bridge, gateway, functions, stream, workflow);
    }

    /// <summary>Every DynamoDB, Step Functions, IoT data and MQTT operation the stack answered: by whose key or client id, which action, on which ARN.</summary>
    public AwsCallLog Calls => Gateway.Aws.Calls;

    /// <summary>How the gateway's functions run here.</summary>
    public IFunctionHost FunctionHost => _functions;

    /// <summary>DynamoDB as the stack's clients reach it: through the stream proxy, so writes to the pending table reach the notifier.</summary>
    public int DynamoPort => _stream.Endpoint.Port;

    public string CaCertificatePem => _authority.CertificatePem;

    /// <summary>Pairs a new button: a station, a certificate for the thing, a fresh secret, the device record.</summary>
    public async Task<PairedButton> PairAsync(string thing, string stationId, bool createStation = true)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        await Gateway.PairAsync(thing, stationId, secret, enabled: true, createStation: createStation);
        IssuedCertificate certificate = _authority.IssueClient(thing);
        return new PairedButton(thing, stationId, secret, TlsIdentity.FromPem(certificate.CertificatePem, certificate.PrivateKeyPem, _authority.CertificatePem));
    }

    /// <summary>A virtual button for a paired thing, on the local broker.</summary>
    public MqttButton ButtonFor(PairedButton paired, TextWriter log) => new("127.0.0.1", _broker.Port, paired.Identity, paired.Secret, log);

    /// <summary>Starts an order execution of the workflow (StartExecution), named by its order id.</summary>
    public Execution StartOrder(string orderId, string orderJson) => Workflow.StartOrder(orderId, orderJson);

    /// <summary>Starts an order for one station and waits until its ticket is parked there.</summary>
    public Task<Execution> StartParkedOrderAsync(string orderId, string stationId) => Workflow.StartParkedOrderAsync(orderId, stationId);

    private static string Subject(string arguments)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(arguments);
        return doc.RootElement.TryGetProperty("Subject", out var subject) ? subject.GetString() ?? string.Empty : string.Empty;
    }

    /// <summary>Waits until the bridge has handed every message on and the gateway finished them.</summary>
    public async Task SettleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await Task.Delay(200);
        while ((_bridge.InFlight > 0 || _stream.Backlog > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await _functions.DisposeAsync();
        await Gateway.DisposeAsync();
        await _stream.DisposeAsync();
        Workflow.Dispose();
        await _broker.DisposeAsync();
        await _dynalite.DisposeAsync();
        _authority.Dispose();
    }
}
