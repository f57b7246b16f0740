using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

using KitchenButton.Gateway.Naming;

namespace KitchenButton.Infrastructure;

/// <summary>
/// What an operator chooses per deployment, from CDK context (<c>-c key=value</c> or cdk.json).
/// Every value is validated here so a typo fails the synth with its name, not the deployment.
/// </summary>
public sealed record StackSettings
{
    public const string EnvironmentKey = "environment";
    public const string AlarmEmailKey = "alarmEmail";
    public const string GatewayAssetKey = "gatewayAsset";
    public const string DefaultPrepTimeoutKey = "defaultPrepTimeoutSeconds";
    public const string MaxPrepAttemptsKey = "maxPrepAttempts";
    public const string ReservedConcurrencyKey = "pressHandlerReservedConcurrency";
    public const string RejectedPressThresholdKey = "rejectedPressAlarmThreshold";
    public const string StatusIntervalKey = "statusIntervalSeconds";
    public const string IotDataEndpointKey = "iotDataEndpoint";
    public const string GatewayRuntimeKey = "gatewayRuntime";
    public const string GatewayArchitectureKey = "gatewayArchitecture";

    /// <summary>dev, staging, prod...: part of every resource name; "prod" keeps data on stack deletion.</summary>
    public string EnvironmentName { get; init; } = "dev";

    public string? AlarmEmail { get; init; }

    /// <summary>Folder with the published gateway (dotnet publish output; the AOT bootstrap or the managed assembly).</summary>
    public string GatewayAssetPath { get; init; } = Path.Combine("artifacts", "gateway");

    /// <summary>
    /// How the functions run: the Native AOT bootstrap on the custom runtime (provided.al2023, the
    /// default: about a third of the managed runtime's cold start), or the managed .NET runtime.
    /// </summary>
    public GatewayRuntime Runtime { get; init; } = GatewayRuntime.Aot;

    /// <summary>
    /// The processor the functions run on: Graviton (arm64, the default: Lambda's lower price per
    /// GB-second) or x86_64 for an AOT bootstrap built where the arm64 cross-link toolchain is missing.
    /// </summary>
    public GatewayArchitecture Architecture { get; init; } = GatewayArchitecture.Arm64;

    /// <summary>The command that publishes the asset this stack expects.</summary>
    public string PublishCommand => Runtime == GatewayRuntime.Aot
        ? "dotnet publish gateway/KitchenButton.Gateway.Bootstrap -c Release -r " + Architecture.RuntimeIdentifier() + " -o " + GatewayAssetPath
        : "dotnet publish gateway/KitchenButton.Gateway -c Release -r " + Architecture.RuntimeIdentifier() + " --self-contained false -o " + GatewayAssetPath;

    /// <summary>How long an order waits at a station that sets no timeout of its own.</summary>
    public int DefaultPrepTimeoutSeconds { get; init; } = 1800;

    /// <summary>How many times an order is parked at the kitchen before it fails with Kitchen.Timeout.</summary>
    public int MaxPrepAttempts { get; init; } = 2;

    public int? PressHandlerReservedConcurrency { get; init; }

    public int RejectedPressAlarmThreshold { get; init; } = 10;

    /// <summary>The buttons' status interval; a button silent for two of them and a minute raises an alarm.</summary>
    public int StatusIntervalSeconds { get; init; } = 900;

    /// <summary>
    /// The account's IoT data-ATS endpoint. Optional: when not given, the functions look it up
    /// themselves (iot:DescribeEndpoint, once per execution environment), so the template needs no
    /// custom resource.
    /// </summary>
    public string? IotDataEndpoint { get; init; }

    public bool IsProduction => EnvironmentName == "prod";

    /// <summary>Every metric of this environment (gateway, workflow, IoT rule) lives here: dev never trips prod's alarms.</summary>
    public string MetricNamespace => KitchenButton.Gateway.Observability.GatewayTelemetry.NamespaceFor(EnvironmentName);

    public static StackSettings FromContext(Func<string, object?> context)
    {
        var problems = new List<string>();
        T Invalid<T>(string problem, T fallback)
        {
            problems.Add(problem);
            return fallback;
        }

        string? Text(string key) => context(key)?.ToString();
        int Int(string key, int fallback, int min, int max)
        {
            string? value = Text(key);
            if (value == null)
            {
                return fallback;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            {
                problems.Add(key + " must be a whole number from " + min + " to " + max);
            }

            return n;
        }

        var settings = new StackSettings
        {
            EnvironmentName = Text(EnvironmentKey) ?? "dev",
            AlarmEmail = Text(AlarmEmailKey),
            GatewayAssetPath = Text(GatewayAssetKey) ?? Path.Combine("artifacts", "gateway"),
            DefaultPrepTimeoutSeconds = Int(DefaultPrepTimeoutKey, 1800, 60, 86400),
            MaxPrepAttempts = Int(MaxPrepAttemptsKey, 2, 1, 10),
            PressHandlerReservedConcurrency = Text(ReservedConcurrencyKey) == null ? null : Int(ReservedConcurrencyKey, 0, 1, 1000),
            RejectedPressAlarmThreshold = Int(RejectedPressThresholdKey, 10, 1, 100000),
            StatusIntervalSeconds = Int(StatusIntervalKey, 900, 60, 86400),
            IotDataEndpoint = Text(IotDataEndpointKey),
            Runtime = Text(GatewayRuntimeKey) switch
            {
                null or "aot" => GatewayRuntime.Aot,
                "managed" => GatewayRuntime.Managed,
                _ => Invalid(GatewayRuntimeKey + " must be aot or managed", GatewayRuntime.Aot),
            },
            Architecture = Text(GatewayArchitectureKey) switch
            {
                null or "arm64" => GatewayArchitecture.Arm64,
                "x86_64" => GatewayArchitecture.X86_64,
                _ => Invalid(GatewayArchitectureKey + " must be arm64 or x86_64", GatewayArchitecture.Arm64),
            },
        };
        if (!Regex.IsMatch(settings.EnvironmentName, "^[a-z][a-z0-9-]{0,15}$"))
        {
            problems.Add(EnvironmentKey + " must be 1 to 16 lowercase letters, digits or dashes, starting with a letter");
        }

        if (settings.IotDataEndpoint != null && !Regex.IsMatch(settings.IotDataEndpoint, "^[a-z0-9]+-ats\\.iot\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$"))
        {
            problems.Add(IotDataEndpointKey + " must be the account's iot:Data-ATS host, like abc123-ats.iot.eu-west-1.amazonaws.com (aws iot describe-endpoint --endpoint-type iot:Data-ATS)");
        }

        if (settings.AlarmEmail != null && !Regex.IsMatch(settings.AlarmEmail, "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"))
        {
            problems.Add(AlarmEmailKey + " is not an e-mail address");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("stack settings: " + string.Join("; ", problems));
        }

        return settings;
    }

    /// <summary>Resource names carry the product and the environment.</summary>
    /// <summary>The names of this environment's resources (one source for the app, the tool and the local stack).</summary>
    public ResourceNames Names => new(EnvironmentName);

    public string Name(string part) => Names.Of(part);
}

/// <summary>How the gateway's functions run in Lambda.</summary>
public enum GatewayRuntime
{
    /// <summary>The Native AOT bootstrap on provided.al2023 (gateway/KitchenButton.Gateway.Bootstrap).</summary>
    Aot,

    /// <summary>The gateway assembly on the managed dotnet10 runtime.</summary>
    Managed,
}

/// <summary>The processor architecture of the gateway's functions.</summary>
public enum GatewayArchitecture
{
    /// <summary>Graviton: linux-arm64.</summary>
    Arm64,

    /// <summary>linux-x64.</summary>
    X86_64,
}

/// <summary>What an architecture is called by .NET's publish and in an ELF header.</summary>
public static class GatewayArchitectureExtensions
{
    /// <summary>The runtime identifier to publish for.</summary>
    public static string RuntimeIdentifier(this GatewayArchitecture architecture) => architecture == GatewayArchitecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>As the context value and Lambda name it.</summary>
    public static string Name(this GatewayArchitecture architecture) => architecture == GatewayArchitecture.Arm64 ? "arm64" : "x86_64";

    /// <summary>The ELF header's e_machine for it (EM_AARCH64, EM_X86_64).</summary>
    public static ushort ElfMachine(this GatewayArchitecture architecture) => architecture == GatewayArchitecture.Arm64 ? (ushort)183 : (ushort)62;

    /// <summary>The architecture an ELF header's e_machine names, or null for any other processor.</summary>
    public static GatewayArchitecture? FromElfMachine(ushort machine) =>
        machine == GatewayArchitecture.Arm64.ElfMachine() ? GatewayArchitecture.Arm64
        : machine == GatewayArchitecture.X86_64.ElfMachine() ? GatewayArchitecture.X86_64
        : null;
}
