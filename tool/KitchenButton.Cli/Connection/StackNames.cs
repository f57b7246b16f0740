using KitchenButton.Gateway.Storage;

namespace KitchenButton.Cli.Connection;

/// <summary>
/// The names the CDK app gives one environment's resources (StackSettings.Name, DeviceFleet), so the
/// tool needs only the environment's name to find them.
/// </summary>
public sealed record StackNames(string Environment)
{
    private string Name(string part) => "kitchenbutton-" + Environment + "-" + part;

    public GatewayTables Tables => GatewayTables.WithPrefix("kitchenbutton-" + Environment + "-");

    public string PressFailuresQueue => Name("press-failures");

    public string RuleErrorsQueue => Name("rule-errors");

    public string PressFunction => Name("presshandler");

    public string CleanupFailuresQueue => Name("cleanup-failures");

    public string CleanupFunction => Name("ordercleanup");

    public string StateMachine => Name("orders");

    public string ThingType => "KitchenButton-" + Environment;

    public string DevicePolicy => "KitchenButtonDevice-" + Environment;

    /// <summary>The managed policy that allows every call this tool makes on the environment (OperatorAccess).</summary>
    public string OperatorPolicy => Name("operator");
}
