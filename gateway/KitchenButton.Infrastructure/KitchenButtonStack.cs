using Amazon.CDK;
using Constructs;
using KitchenButton.Infrastructure.Constructs;

namespace KitchenButton.Infrastructure;

/// <summary>Everything KitchenButton runs on, for one environment.</summary>
public sealed class KitchenButtonStack : Stack
{
    public KitchenButtonStack(Construct scope, string id, StackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        Tables = new DataTables(this, "Tables", settings);
        Workflow = new OrderWorkflow(this, "Workflow", settings, Tables);
        Functions = new GatewayFunctions(this, "Gateway", settings, Tables, Workflow);
        Fleet = new DeviceFleet(this, "Fleet", settings, Functions);
        Alarms = new OperationsAlarms(this, "Alarms", settings, Functions, Fleet);
        Operators = new OperatorAccess(this, "Operators", settings, Tables, Workflow, Functions, Fleet);

        Output("StateMachineArn", Workflow.StateMachine.StateMachineArn, "Start orders here (aws stepfunctions start-execution).");
        Output("PendingTasksTable", Tables.Tickets.TableName, "Orders waiting at stations.");
        Output("DevicesTable", Tables.Devices.TableName, "Paired buttons.");
        Output("StationsTable", Tables.Stations.TableName, "Kitchen stations.");
        Output("DevicePolicyName", Fleet.DevicePolicy.PolicyName!, "Attach to each button's certificate.");
        Output("ThingTypeName", Fleet.ThingType.ThingTypeName!, "Create buttons with this thing type.");
        Output("AlarmTopicArn", Alarms.Topic.TopicArn, "Operator alarms.");
        Output("KitchenAlertTopicArn", Workflow.KitchenAlerts.TopicArn, "Timeouts and prep problems, for the kitchen manager.");
        Output("PressFailuresQueueUrl", Functions.PressFailures.QueueUrl, "Presses to replay after an outage.");
        Output("RuleErrorsQueueUrl", Fleet.RuleErrors.QueueUrl, "Presses IoT could not hand to the press handler.");
        Output("OperatorPolicyArn", Operators.Policy.ManagedPolicyArn, "Attach to the operators' group or role: what the kitchenbutton tool calls on this environment.");
    }

    public DataTables Tables { get; }

    public OrderWorkflow Workflow { get; }

    public GatewayFunctions Functions { get; }

    public DeviceFleet Fleet { get; }

    public OperationsAlarms Alarms { get; }

    public OperatorAccess Operators { get; }

    private void Output(string id, string value, string description)
    {
        new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
    }
}
