using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Lambda;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.LocalAws;

/// <summary>
/// The gateway wired as in Lambda (<see cref="GatewayComposition"/>) against dynalite and the local
/// Step Functions / IoT endpoint, on the clock it is given: real time for the local stack, a clock a
/// test sets for the tests.
/// </summary>
public sealed class LocalGateway : IAsyncDisposable
{
    /// <summary>Where a test's clock starts (any fixed instant: tests read times relative to it).</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_795_608_000);

    /// <summary>The access key the harness's own calls are signed with (a test's setup, or the gateway run in this process).</summary>
    public const string AccessKey = "AKIDLOCAL";

    private readonly LocalAwsEndpoint _aws;
    private readonly CapturedOutput _log = new();
    private readonly TimeProvider _time;
    private int _orders;

    private LocalGateway(DynaliteProcess dynalite, GatewayTables tables, GatewayOptions? options, IDeviceStatePublisher? publisher, TimeProvider time, Uri? dynamoEndpoint, int? awsPort, DelegatingHandler? wire, AwsCallLog? calls)
    {
        _aws = new LocalAwsEndpoint(awsPort, calls);
        _time = time;
        Tables = tables;
        DynamoEndpoint = dynamoEndpoint ?? new Uri("http://127.0.0.1:" + dynalite.Port);
        var settings = new GatewaySettings(tables, "eu-west-1", _aws.BaseUri, _aws.BaseUri, DynamoEndpoint, options ?? new GatewayOptions())
        {
            // Long enough that a loaded CI machine never times out a healthy call; hang faults outlast it.
            AwsAttemptTimeout = TimeSpan.FromSeconds(1),
        };
        HttpMessageHandler network = KitchenButton.Gateway.Aws.AwsHttpHandler.Create();
        if (wire != null)
        {
            wire.InnerHandler = network;
            network = wire;
        }

        Calls = new CallCounter(network);
        Composition = new GatewayComposition(settings, new BasicAWSCredentials(AccessKey, "local-secret"), _log, _time, Calls, statePublisher: publisher);
    }

    public LocalAwsEndpoint Aws => _aws;

    /// <summary>dynalite, as the gateway reaches it.</summary>
    public Uri DynamoEndpoint { get; }

    /// <summary>Every AWS call the gateway made, by operation.</summary>
    public CallCounter Calls { get; }

    /// <summary>The gateway's clock: real time, or the clock a test set.</summary>
    public TimeProvider Time => _time;

    /// <summary>The gateway's now.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    public GatewayTables Tables { get; }

    public GatewayComposition Composition { get; }

    public PressProcessor Processor => Composition.Processor;

    public GatewayTelemetry Telemetry => Composition.Telemetry;

    public DynamoTicketStore Pending => new(Composition.DynamoJson, Tables.Tickets);

    public DynamoDeviceDirectory Directory => new(Composition.Dynamo, Tables, _time);

    public string Log => _log.ToString();

    /// <summary>The lines the gateway wrote so far: logs and EMF documents.</summary>
    public string[] LogLines() => _log.Lines();

    /// <param name="publisher">Where state messages go (a local broker); the loopback IoT endpoint unless given.</param>
    /// <param name="time">The gateway's clock; real time unless given.</param>
    /// <param name="tablePrefix">Tables named as a deployed environment's (kitchenbutton-ENV-); fresh ones unless given.</param>
    /// <param name="dynamoEndpoint">Where the gateway reaches DynamoDB (the stack's stream proxy); dynalite itself unless given.</param>
    /// <param name="awsPort">The port of the loopback AWS endpoint; a free one unless given.</param>
    /// <param name="wire">A handler between the gateway's AWS calls and the network (a test's faults on the wire); its inner handler is set here.</param>
    /// <param name="calls">Where the loopback AWS endpoint records the calls it answers; a log of its own unless given.</param>
    public static async Task<LocalGateway> CreateAsync(DynaliteProcess dynalite, GatewayOptions? options = null, IDeviceStatePublisher? publisher = null, TimeProvider? time = null, string? tablePrefix = null, Uri? dynamoEndpoint = null, int? awsPort = null, DelegatingHandler? wire = null, AwsCallLog? calls = null)
    {
        GatewayTables tables = tablePrefix == null ? await dynalite.CreateTablesAsync() : await dynalite.CreateTablesAsync(tablePrefix);
        return new LocalGateway(dynalite, tables, options, publisher, time ?? TimeProvider.System, dynamoEndpoint, awsPort, wire, calls);
    }

    public async Task PairAsync(string thing, string stationId, byte[] secret, bool enabled = true, bool createStation = true)
    {
        if (createStation)
        {
            await Directory.PutStationAsync(new Station(stationId, stationId + " station", 1800), CancellationToken.None);
        }

        await Directory.PutDeviceAsync(new PairedDevice(thing, stationId, secret, enabled), CancellationToken.None);
    }

    /// <summary>Parks an order at a station exactly as the workflow's kitchen step writes it; returns its token.</summary>
    /// <param name="parkedAt">When the ticket was parked; by default its enqueuedAt, or now if that is later (on a test's clock the presses that follow come at the same moment).</param>
    public async Task<string> EnqueueOrderAsync(string stationId, string orderId, TimeSpan? timeout = null, DateTimeOffset? enqueuedAt = null, bool tokenAlive = true, DateTimeOffset? parkedAt = null)
    {
        DateTimeOffset at = enqueuedAt ?? Now.AddMilliseconds(Interlocked.Increment(ref _orders));
        DateTimeOffset parked = parkedAt ?? (at < Now ? at : Now);
        string token = "AQB8AAAAKgAAAAMAAAAAAAAAA" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "/" + orderId + "==";
        string enqueued = StepFunctionsTime(at);
        await Composition.Dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = Tables.Tickets,
            Item = new Dictionary<string, AttributeValue>
            {
                [Attributes.StationId] = new() { S = stationId },
                [Attributes.QueueKey] = new() { S = enqueued + "#" + orderId },
                [Attributes.OrderId] = new() { S = orderId },
                [Attributes.Summary] = new() { S = "1x margherita" },
                [Attributes.TaskToken] = new() { S = token },
                [Attributes.EnqueuedAt] = new() { S = enqueued },
                [Attributes.ParkedAt] = new() { S = StepFunctionsTime(parked) },
                [Attributes.ExecutionArn] = new() { S = ExecutionOf(orderId) },
                [Attributes.ExpiresAt] = new() { N = (at + (timeout ?? TimeSpan.FromMinutes(30))).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            },
        });
        if (tokenAlive)
        {
            _aws.AddWaitingToken(token, ExecutionOf(orderId));
        }

        return token;
    }

    /// <summary>A moment as Step Functions writes <c>$states.context.State.EnteredTime</c>: UTC, milliseconds.</summary>
    private static string StepFunctionsTime(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The execution an order parked by <see cref="EnqueueOrderAsync"/> belongs to.</summary>
    public static string ExecutionOf(string orderId) => "arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-test-orders:" + orderId;

    public Task<PressOutcome> PressAsync(Press press, string? topicThing = null, string? clientId = null, long? receivedAtMs = null)
    {
        return Processor.ProcessAsync(PressEvents.Event(press, topicThing, clientId, receivedAtMs ?? Now.ToUnixTimeMilliseconds()), CancellationToken.None);
    }

    public Task<int> PendingAtAsync(string stationId) => Pending.CountAsync(stationId, Now, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _aws.DisposeAsync();
        Composition.Dynamo.Dispose();
        Calls.Dispose();
    }
}
