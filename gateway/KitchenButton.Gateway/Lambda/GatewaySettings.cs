using System;
using System.Collections;
using System.Globalization;
using KitchenButton.Gateway.Processing;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Lambda;

/// <summary>The functions' configuration, from environment variables set by the CDK stack.</summary>
/// <param name="IotDataEndpoint">The IoT data-ATS endpoint; looked up with iot:DescribeEndpoint on first use when null.</param>
public sealed record GatewaySettings(GatewayTables Tables, string Region, Uri StatesEndpoint, Uri? IotDataEndpoint, Uri? DynamoEndpoint, GatewayOptions Options)
{
    /// <summary>The CloudWatch namespace of the gateway's metrics: one per environment.</summary>
    public string MetricNamespace { get; init; } = Observability.GatewayTelemetry.NamespaceFor("local");

    /// <summary>The IoT control plane, for the data endpoint lookup; the region's unless given.</summary>
    public Uri? IotControlEndpoint { get; init; }

    /// <summary>A button not heard from for longer than this is silent: two status intervals and a minute.</summary>
    public TimeSpan SilenceAfter { get; init; } = TimeSpan.FromSeconds(1860);

    /// <summary>How long one attempt of a Step Functions or IoT call may take before it is retried.</summary>
    public TimeSpan AwsAttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public const string PendingTable = "KB_PENDING_TABLE";
    public const string DevicesTable = "KB_DEVICES_TABLE";
    public const string StationsTable = "KB_STATIONS_TABLE";
    public const string LedgerTable = "KB_LEDGER_TABLE";
    public const string IotDataEndpointVariable = "KB_IOT_DATA_ENDPOINT";
    public const string IotControlEndpointVariable = "KB_IOT_ENDPOINT";
    public const string MetricNamespaceVariable = "KB_METRIC_NAMESPACE";
    public const string StatesEndpointVariable = "KB_STATES_ENDPOINT";
    public const string DynamoEndpointVariable = "KB_DYNAMODB_ENDPOINT";
    public const string MaxAgeSeconds = "KB_MAX_AGE_SECONDS";
    public const string MaxFutureSeconds = "KB_MAX_FUTURE_SECONDS";
    public const string SilenceAfterSeconds = "KB_SILENCE_AFTER_SECONDS";

    /// <summary>The press handler's function timeout: the deadline every press works to.</summary>
    public const string InvocationSeconds = "KB_INVOCATION_SECONDS";
    public const string RegionVariable = "AWS_REGION";

    /// <summary>Reads the settings; names every missing or invalid variable at once.</summary>
    public static GatewaySettings FromEnvironment(IDictionary environment)
    {
        var problems = new System.Collections.Generic.List<string>();
        string Get(string name)
        {
            string? value = environment[name] as string;
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add(name + " is not set");
                return string.Empty;
            }

            return value;
        }

        Uri? GetUri(string name, bool required)
        {
            string? value = environment[name] as string;
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    problems.Add(name + " is not set");
                }

                return null;
            }

            // The IoT data endpoint is often given as a bare host name.
            string text = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
            {
                problems.Add(name + " is not a URL");
            }

            return uri;
        }

        int GetSeconds(string name, int fallback)
        {
            string? value = environment[name] as string;
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds < 1)
            {
                problems.Add(name + " must be a positive whole number of seconds");
            }

            return seconds;
        }

        var tables = new GatewayTables(Get(PendingTable), Get(DevicesTable), Get(StationsTable), Get(LedgerTable));
        string region = Get(RegionVariable);
        Uri? iot = GetUri(IotDataEndpointVariable, required: false);
        Uri? iotControl = GetUri(IotControlEndpointVariable, required: false);
        string metricNamespace = Get(MetricNamespaceVariable);
        Uri? states = GetUri(StatesEndpointVariable, required: false);
        Uri? dynamo = GetUri(DynamoEndpointVariable, required: false);
        var options = new GatewayOptions
        {
            MaxAge = TimeSpan.FromSeconds(GetSeconds(MaxAgeSeconds, 900)),
            MaxFutureSkew = TimeSpan.FromSeconds(GetSeconds(MaxFutureSeconds, 300)),
            InvocationTime = TimeSpan.FromSeconds(GetSeconds(InvocationSeconds, 30)),
        };
        int silenceAfter = GetSeconds(SilenceAfterSeconds, 1860);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("gateway configuration: " + string.Join("; ", problems));
        }

        return new GatewaySettings(tables, region, states ?? Aws.AwsClientOptions.StepFunctionsEndpoint(region), iot, dynamo, options)
        {
            MetricNamespace = metricNamespace,
            IotControlEndpoint = iotControl,
            SilenceAfter = TimeSpan.FromSeconds(silenceAfter),
        };
    }
}
