using System;
using System.Net.Http;
using System.Threading;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Storage;
using KitchenButton.Pairing;

const string Usage = """
    kb-pair: pair KitchenButton buttons with a station (docs/operations.md)

      kb-pair pair <thing> <station> --wifi-ssid <ssid> --wifi-password <password> [--out certs] [--force]
          creates the thing, an active certificate with the device policy, a secret, the device record,
          and certs/<thing>/ with everything to upload to the board (kitchenbutton.ini, certificate, key)
      kb-pair disable <thing>      the button's presses are rejected from now on
      kb-pair list <station>       the enabled buttons of a station

      --environment <name>   the stack's environment (default dev): tables kitchenbutton-<env>-*,
                             thing type KitchenButton-<env>, policy KitchenButtonDevice-<env>
      --region <region>      default: AWS_REGION
    Credentials: the AWS SDK's default chain. Local stack: KB_DYNAMODB_ENDPOINT, KB_IOT_ENDPOINT.
    """;

CommandLine line;
try
{
    line = CommandLine.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine("kb-pair: " + e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

string environment = line.Get("--environment") ?? "dev";
string? region = line.Get("--region") ?? Environment.GetEnvironmentVariable("AWS_REGION");
if (string.IsNullOrEmpty(region))
{
    Console.Error.WriteLine("kb-pair: no region: pass --region or set AWS_REGION");
    return 2;
}

AWSCredentials credentials = new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
var dynamoConfig = new AmazonDynamoDBConfig();
string? dynamoEndpoint = Environment.GetEnvironmentVariable("KB_DYNAMODB_ENDPOINT");
if (dynamoEndpoint != null)
{
    dynamoConfig.ServiceURL = dynamoEndpoint;
    dynamoConfig.AuthenticationRegion = region;
}
else
{
    dynamoConfig.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
}

using var dynamo = new AmazonDynamoDBClient(credentials, dynamoConfig);
var tables = GatewayTables.WithPrefix("kitchenbutton-" + environment + "-");
var directory = new DynamoDeviceDirectory(dynamo, tables, TimeProvider.System);
Uri iotEndpoint = Environment.GetEnvironmentVariable("KB_IOT_ENDPOINT") is { } local ? new Uri(local) : IotEndpointClient.Endpoint(region);
var iotHttp = new SignedAwsHttpClient(new HttpClient(), credentials, IotEndpointClient.SigningService,
    new AwsClientOptions { Endpoint = iotEndpoint, Region = region }, TimeProvider.System);
var iot = new IotThingRegistry(iotHttp);

try
{
    switch (line.Command)
    {
        case "pair" when line.Positionals.Count == 2 && line.Get("--wifi-ssid") != null:
            {
                string dataEndpoint = await new IotEndpointClient(iotHttp).DescribeDataEndpointAsync(CancellationToken.None);
                var service = new PairingService(directory, iot, new PairingTarget("KitchenButton-" + environment, "KitchenButtonDevice-" + environment, dataEndpoint));
                var request = new PairRequest(line.Positionals[0], line.Positionals[1], line.Get("--wifi-ssid")!, line.Get("--wifi-password") ?? string.Empty, line.Get("--out") ?? "certs")
                {
                    Force = line.Has("--force"),
                };
                PairResult result = await service.PairAsync(request, CancellationToken.None);
                Console.WriteLine($"paired {result.Thing} with station {request.StationId}; certificate {result.CertificateArn}");
                Console.WriteLine($"load {result.Folder}/ onto the board (hardware.md, step 5): certificate and key into its configuration block or onto I:\\, kitchenbutton.ini onto I:\\; keep the folder out of git");
                return 0;
            }

        case "disable" when line.Positionals.Count == 1:
            await new PairingService(directory, iot, new PairingTarget(string.Empty, string.Empty, string.Empty)).DisableAsync(line.Positionals[0], CancellationToken.None);
            Console.WriteLine($"{line.Positionals[0]} disabled: its presses are rejected from now on");
            return 0;

        case "list" when line.Positionals.Count == 1:
            foreach (string thing in await directory.ListThingsAtStationAsync(line.Positionals[0], CancellationToken.None))
            {
                Console.WriteLine(thing);
            }

            return 0;

        default:
            Console.Error.WriteLine("kb-pair: '" + line.Command + "' with these arguments is not a command");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (PairingException e)
{
    Console.Error.WriteLine("kb-pair: " + e.Message);
    return 3;
}
catch (Exception e) when (e is AwsServiceException or AwsTransientException or AmazonServiceException)
{
    Console.Error.WriteLine("kb-pair: AWS refused or failed: " + e.Message);
    return 1;
}
