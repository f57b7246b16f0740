using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace KitchenButton.Infrastructure.Constructs;

/// <summary>
/// What the operators' tool (`kitchenbutton`) calls on this environment, as one managed policy to
/// attach to the operators' group or role instead of writing their own: the environment's own
/// tables, queues, press handler, order clean-up and state machine by ARN. IoT's buttons and certificates are named
/// by the operator, not by the stack, so those grants cover the account's things and certificates
/// in this region (IAM has no finer key for them); the actions are only the ones pairing needs. The
/// state topics name the thing, not the environment, so publishing is granted on every button's
/// state topic in the region, and on nothing else.
/// </summary>
public sealed class OperatorAccess : Construct
{
    public OperatorAccess(Construct scope, string id, StackSettings settings, DataTables tables, OrderWorkflow workflow, GatewayFunctions functions, DeviceFleet fleet)
        : base(scope, id)
    {
        string iot = "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        Policy = new ManagedPolicy(this, "Policy", new ManagedPolicyProps
        {
            ManagedPolicyName = settings.Names.OperatorPolicy,
            Description = "Runs the kitchenbutton operators' tool on the " + settings.EnvironmentName + " environment",
            Statements = new[]
            {
                // station add/list/show/set/remove/sync; device list/show/disable/enable/move/forget; order list.
                Allow(new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan" }, tables.Stations.TableArn),
                Allow(new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem" }, tables.Devices.TableArn),
                Allow(new[] { "dynamodb:Query" }, Index(tables.Devices, KitchenButton.Gateway.Storage.Attributes.DevicesByStationIndex)),
                Allow(new[] { "dynamodb:Query" }, tables.Tickets.TableArn),

                // device pair/rotate-secret/forget: the thing, its certificate, the device policy on it.
                Allow(new[] { "iot:DescribeEndpoint", "iot:CreateKeysAndCertificate" }, "*"),
                Allow(new[] { "iot:CreateThing", "iot:DescribeThing", "iot:UpdateThing", "iot:DeleteThing", "iot:ListThingPrincipals" }, iot + "thing/*"),
                Allow(new[] { "iot:UpdateCertificate", "iot:DeleteCertificate", "iot:AttachPolicy", "iot:DetachPolicy", "iot:AttachThingPrincipal", "iot:DetachThingPrincipal" }, iot + "cert/*"),

                // station sync, and device pair/move/enable: a button told its station's count, as the
                // notifier tells it (retained, so iot:RetainPublish too), on the state topics alone.
                Allow(new[] { "iot:Publish", "iot:RetainPublish" }, iot + "topic/cmd/kitchenbutton/*/state"),

                // presses failed/replay: the two failure queues, replayed through the press handler.
                Allow(new[] { "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage" }, functions.PressFailures.QueueArn, fleet.RuleErrors.QueueArn),
                Allow(new[] { "lambda:InvokeFunction" }, functions.PressHandler.FunctionArn),

                // cleanups failed/replay: the cleanup-failures queue, replayed through the order clean-up.
                Allow(new[] { "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage" }, functions.CleanupFailures.QueueArn),
                Allow(new[] { "lambda:InvokeFunction" }, functions.OrderCleanup.FunctionArn),

                // order start: finds the state machine by name, as the tool knows only the environment.
                Allow(new[] { "states:ListStateMachines" }, "*"),
                Allow(new[] { "states:StartExecution" }, workflow.StateMachine.StateMachineArn),
            },
        });
    }

    public ManagedPolicy Policy { get; }

    private static PolicyStatement Allow(string[] actions, params string[] resources) =>
        new(new PolicyStatementProps { Actions = actions, Resources = resources });

    private static string Index(Table table, string index) => table.TableArn + "/index/" + index;
}
