using System;
using System.IO;
using System.Net.Http;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Health;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Pairing;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Lambda;

/// <summary>Builds the gateway's object graph from settings: the one place that knows the concrete types.</summary>
public sealed class GatewayComposition
{
    /// <param name="statePublisher">Where state messages go; the IoT data plane unless given (a local broker).</param>
    /// <param name="logOutput">Where log lines and EMF documents go: the raw standard output in Lambda.</param>
    public GatewayComposition(GatewaySettings settings, AWSCredentials credentials, Stream logOutput, TimeProvider time, HttpMessageHandler? handler = null, IDeviceStatePublisher? statePublisher = null)
    {
        Telemetry = new GatewayTelemetry(logOutput, time.GetUtcNow, settings.MetricNamespace);
        var dynamoConfig = new AmazonDynamoDBConfig();
        if (settings.DynamoEndpoint != null)
        {
            dynamoConfig.ServiceURL = settings.DynamoEndpoint.ToString();
            dynamoConfig.AuthenticationRegion = settings.Region;
        }
        else
        {
            dynamoConfig.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (handler != null)
        {
            dynamoConfig.HttpClientFactory = new HandlerHttpClientFactory(handler);
        }

        Dynamo = new AmazonDynamoDBClient(credentials, dynamoConfig);
        var http = new HttpMessageInvoker(handler ?? AwsHttpHandler.Create(), disposeHandler: handler == null);
        var states = new SignedAwsHttpClient(http, credentials, StepFunctionsAnswerClient.SigningService,
            new AwsClientOptions { Endpoint = settings.StatesEndpoint, Region = settings.Region, AttemptTimeout = settings.AwsAttemptTimeout }, time);
        SignedAwsHttpClient IotData(Uri endpoint) => new(http, credentials, IotDataStatePublisher.SigningService,
            new AwsClientOptions { Endpoint = endpoint, Region = settings.Region, AttemptTimeout = settings.AwsAttemptTimeout }, time);
        Uri iotControl = settings.IotControlEndpoint ?? IotEndpointClient.Endpoint(settings.Region);
        IotDataEndpoint iotEndpoint = settings.IotDataEndpoint != null
            ? IotDataEndpoint.Known(settings.IotDataEndpoint)
            : IotDataEndpoint.LookedUp(new IotEndpointClient(new SignedAwsHttpClient(http, credentials, IotEndpointClient.SigningService,
                new AwsClientOptions { Endpoint = iotControl, Region = settings.Region, AttemptTimeout = settings.AwsAttemptTimeout }, time)), iotControl.Scheme);

        DynamoJson = new DynamoJsonClient(new SignedAwsHttpClient(http, credentials, DynamoJsonClient.SigningService,
            new AwsClientOptions { Endpoint = settings.DynamoEndpoint ?? DynamoJsonClient.Endpoint(settings.Region), Region = settings.Region, AttemptTimeout = settings.AwsAttemptTimeout }, time));
        var pending = new DynamoTicketStore(DynamoJson, settings.Tables.Tickets);
        var directory = new DynamoDeviceDirectory(Dynamo, settings.Tables, time);
        IDeviceStatePublisher publisher = statePublisher ?? new IotDataStatePublisher(iotEndpoint, IotData);
        Answers = new StepFunctionsAnswerClient(states);
        Publisher = publisher;
        // One answer's budget: every attempt of the client, and its backoff between them.
        GatewayOptions options = settings.Options with { AnswerBudget = (3 * settings.AwsAttemptTimeout) + TimeSpan.FromSeconds(2) };
        Processor = new PressProcessor(new CachedDeviceDirectory(directory, time), pending, new DynamoPressLedger(DynamoJson, settings.Tables.PressLedger),
            Answers, publisher, Telemetry, time, options);
        Notifier = new WaitingCountNotifier(new WaitingCountPublisher(pending, directory, publisher, time), Telemetry);
        Health = new DeviceHealthMonitor(new DynamoDeviceHealthStore(Dynamo, settings.Tables.Devices), Telemetry, time);
        Cleanup = new EndedOrderCleanup(new DynamoExecutionTickets(Dynamo, settings.Tables.Tickets), Telemetry);
        SilenceAfter = settings.SilenceAfter;
    }

    /// <summary>The SDK's client, for what is off the press path (device directory, health, clean-up).</summary>
    public IAmazonDynamoDB Dynamo { get; }

    /// <summary>The press path's DynamoDB client (pending tasks, press ledger).</summary>
    public DynamoJsonClient DynamoJson { get; }

    public GatewayTelemetry Telemetry { get; }

    public PressProcessor Processor { get; }

    /// <summary>Step Functions as the processor reaches it.</summary>
    public Answers.ITaskAnswers Answers { get; }

    /// <summary>Where buttons' state messages go.</summary>
    public IDeviceStatePublisher Publisher { get; }

    public WaitingCountNotifier Notifier { get; }

    public DeviceHealthMonitor Health { get; }

    public EndedOrderCleanup Cleanup { get; }

    public TimeSpan SilenceAfter { get; }

    /// <summary>The composition a Lambda instance uses: environment settings, the SDK's default credential chain.</summary>
    public static GatewayComposition FromEnvironment()
    {
        GatewaySettings settings = GatewaySettings.FromEnvironment(Environment.GetEnvironmentVariables());
        AWSCredentials credentials = new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
        return new GatewayComposition(settings, credentials, Console.OpenStandardOutput(), TimeProvider.System);
    }
}
