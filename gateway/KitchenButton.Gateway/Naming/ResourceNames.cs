using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Naming;

/// <summary>
/// The names one environment's resources have, in one place: the CDK app gives them, the operators'
/// tool and the local stack find them by the environment's name alone.
/// </summary>
public sealed record ResourceNames(string Environment)
{
    /// <summary>What every name of the environment starts with: kitchenbutton-ENV-.</summary>
    public string Prefix => "kitchenbutton-" + Environment + "-";

    /// <summary>A resource of the environment: kitchenbutton-ENV-PART.</summary>
    public string Of(string part) => Prefix + part;

    public GatewayTables Tables => GatewayTables.WithPrefix(Prefix);

    public string PressFailuresQueue => Of("press-failures");

    public string RuleErrorsQueue => Of("rule-errors");

    public string NotifierFailuresQueue => Of("notifier-failures");

    public string StatusFailuresQueue => Of("status-failures");

    public string CleanupFailuresQueue => Of("cleanup-failures");

    /// <summary>A gateway function by its construct id (PressHandler, StatusRecorder, OrderCleanup, ...).</summary>
    public string Function(string id) => Of(id.ToLowerInvariant());

    public string PressFunction => Function("PressHandler");

    public string StatusFunction => Function("StatusRecorder");

    public string CleanupFunction => Function("OrderCleanup");

    public string StateMachine => Of("orders");

    public string AlarmTopic => Of("alarms");

    public string KitchenAlertsTopic => Of("kitchen-alerts");

    /// <summary>The managed policy that allows every call the operators' tool makes on the environment.</summary>
    public string OperatorPolicy => Of("operator");

    public string ThingType => "KitchenButton-" + Environment;

    public string DevicePolicy => "KitchenButtonDevice-" + Environment;
}
