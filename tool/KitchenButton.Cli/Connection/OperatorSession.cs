using System;
using System.IO;
using System.Net.Http;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SQS;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Feedback;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Cli.Connection;

/// <summary>
/// The AWS clients of one command, built only when a verb first needs AWS: a verb that fails on its
/// arguments never touches credentials. Region and credentials come from --region/--profile, then
/// the standard chain (environment, shared config, SSO, instance role); --local uses the local
/// stack's endpoints and placeholder credentials.
/// </summary>
public sealed class OperatorSession : IDisposable
{
    /// <summary>The access key the tool signs with on the local stack (which checks only a signature's form).</summary>
    public const string LocalAccessKey = "LOCALSTACK";

    private readonly AwsTarget _target;
    private readonly Lazy<Resolved> _resolved;
    private readonly HttpClient _http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private IotDataStatePublisher? _statePublisher;

    public OperatorSession(AwsTarget target)
    {
        _target = target;
        _resolved = new Lazy<Resolved>(Resolve);
    }

    public ResourceNames Names => _resolved.Value.Names;

    public string Region => _resolved.Value.Region;

    public IAmazonDynamoDB Dynamo => _resolved.Value.Dynamo.Value;

    public IAmazonSQS Sqs => _resolved.Value.Sqs.Value;

    /// <summary>The gateway's own DynamoDB client, so the tool reads the queues exactly as the press handler does.</summary>
    public DynamoJsonClient DynamoJson =>
        new(Signed(DynamoJsonClient.SigningService, _resolved.Value.DynamoEndpoint ?? DynamoJsonClient.Endpoint(_resolved.Value.Region)));

    /// <summary>Signed for the IoT control plane ("iot").</summary>
    public SignedAwsHttpClient Iot => Signed(IotEndpointClient.SigningService, _resolved.Value.IotEndpoint);

    /// <summary>Signed for Step Functions ("states", awsJson1.0).</summary>
    public SignedAwsHttpClient StepFunctions => Signed("states", _resolved.Value.StatesEndpoint);

    /// <summary>Signed for Lambda ("lambda", restJson1).</summary>
    public SignedAwsHttpClient Lambda => Signed("lambda", _resolved.Value.LambdaEndpoint);

    /// <summary>
    /// The IoT data plane's Publish, as the gateway publishes state messages: at the account's data
    /// endpoint (iot:DescribeEndpoint, asked once), or with --local at the stack's loopback endpoint.
    /// </summary>
    public IotDataStatePublisher StatePublisher => _statePublisher ??= new(
        Local is { } local ? IotDataEndpoint.Known(local.Aws) : IotDataEndpoint.LookedUp(new IotEndpointClient(Iot), "https"),
        endpoint => Signed(IotDataStatePublisher.SigningService, endpoint));

    /// <summary>The gateway's own count publisher: buttons are told what the notifier would tell them.</summary>
    public WaitingCountPublisher WaitingCounts => new(
        new DynamoTicketStore(DynamoJson, Names.Tables.Tickets), new DynamoDeviceDirectory(Dynamo, Names.Tables, TimeProvider.System), StatePublisher, TimeProvider.System);

    public bool IsLocal => _target.Local;

    /// <summary>The flags that pick this target again, for the commands the tool suggests: "--local", or "-e ENV".</summary>
    public string TargetFlags => _target.Local ? "--local" : "-e " + (_target.Environment ?? "ENV");

    /// <summary>The local stack's endpoints, with --local.</summary>
    public LocalEndpoints? Local => _resolved.Value.Local;

    public void Dispose()
    {
        _http.Dispose();
        if (_resolved.IsValueCreated)
        {
            if (_resolved.Value.Dynamo.IsValueCreated)
            {
                _resolved.Value.Dynamo.Value.Dispose();
            }

            if (_resolved.Value.Sqs.IsValueCreated)
            {
                _resolved.Value.Sqs.Value.Dispose();
            }
        }
    }

    private SignedAwsHttpClient Signed(string service, Uri endpoint) =>
        new(_http, _resolved.Value.Credentials, service, new AwsClientOptions { Endpoint = endpoint, Region = _resolved.Value.Region }, TimeProvider.System);

    private static LocalEndpoints LoadLocal()
    {
        try
        {
            return LocalEndpoints.Load(LocalEndpoints.DefaultPath);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw OperatorException.Usage(e.Message);
        }
    }

    private Resolved Resolve()
    {
        if (_target.Local)
        {
            LocalEndpoints local = LoadLocal();
            var credentials = new BasicAWSCredentials(LocalAccessKey, "local-stack-placeholder");
            string region = _target.Region ?? local.Region;
            return new Resolved(new ResourceNames(_target.Environment ?? local.Environment), region, credentials,
                local.DynamoDb, local.Aws, local.Aws, local.Aws, local.Aws)
            { Local = local };
        }

        string environment = _target.Environment
            ?? throw OperatorException.Usage("--environment is required: it picks the stack's tables and queues (dev, prod, ...)");
        string? profileRegion = null;
        AWSCredentials? fromProfile = null;
        if (_target.Profile != null)
        {
            var chain = new CredentialProfileStoreChain();
            if (!chain.TryGetProfile(_target.Profile, out CredentialProfile? profile) || !chain.TryGetAWSCredentials(_target.Profile, out fromProfile))
            {
                throw OperatorException.Usage("no AWS profile '" + _target.Profile + "' with credentials in the shared config or credentials file");
            }

            profileRegion = profile.Region?.SystemName;
        }

        string? regionName = _target.Region ?? profileRegion ?? FallbackRegion();
        if (string.IsNullOrEmpty(regionName))
        {
            throw OperatorException.Usage("no AWS region: pass --region, or set AWS_REGION, or give your profile a region");
        }

        AWSCredentials credentialsFound;
        try
        {
            credentialsFound = fromProfile ?? new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
        }
        catch (AmazonClientException e)
        {
            throw OperatorException.Usage("no AWS credentials found: run `aws configure` or `aws sso login`, or pass --profile (" + FirstLine(e.Message).TrimEnd(':') + ")");
        }

        return new Resolved(new ResourceNames(environment), regionName, credentialsFound,
            null, IotEndpointClient.Endpoint(regionName), AwsClientOptions.StepFunctionsEndpoint(regionName),
            new Uri("https://lambda." + regionName + ".amazonaws.com"), null);
    }

    private static string? FallbackRegion()
    {
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end].TrimEnd();
    }

    private sealed class Resolved
    {
        public Resolved(ResourceNames names, string region, AWSCredentials credentials, Uri? dynamoEndpoint, Uri iotEndpoint, Uri statesEndpoint, Uri lambdaEndpoint, Uri? sqsEndpoint)
        {
            Names = names;
            Region = region;
            DynamoEndpoint = dynamoEndpoint;
            Credentials = credentials;
            IotEndpoint = iotEndpoint;
            StatesEndpoint = statesEndpoint;
            LambdaEndpoint = lambdaEndpoint;
            Dynamo = new Lazy<IAmazonDynamoDB>(() =>
            {
                var config = new AmazonDynamoDBConfig();
                if (dynamoEndpoint != null)
                {
                    config.ServiceURL = dynamoEndpoint.ToString();
                    config.AuthenticationRegion = region;
                }
                else
                {
                    config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
                }

                return new AmazonDynamoDBClient(credentials, config);
            });
            Sqs = new Lazy<IAmazonSQS>(() =>
            {
                var config = new AmazonSQSConfig();
                if (sqsEndpoint != null)
                {
                    config.ServiceURL = sqsEndpoint.ToString();
                    config.AuthenticationRegion = region;
                }
                else
                {
                    config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
                }

                return new AmazonSQSClient(credentials, config);
            });
        }

        public ResourceNames Names { get; }

        public LocalEndpoints? Local { get; init; }

        public string Region { get; }

        public Uri? DynamoEndpoint { get; }

        public AWSCredentials Credentials { get; }

        public Uri IotEndpoint { get; }

        public Uri StatesEndpoint { get; }

        public Uri LambdaEndpoint { get; }

        public Lazy<IAmazonDynamoDB> Dynamo { get; }

        public Lazy<IAmazonSQS> Sqs { get; }
    }
}
