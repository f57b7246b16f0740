using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>Least privilege, checked by evaluating the policies: what each role may do, and what it may not.</summary>
[Collection(StackCollection.Name)]
public sealed class PermissionTests
{
    private readonly StackFixture _stack;

    public PermissionTests(StackFixture stack)
    {
        _stack = stack;
    }

    private string Arn(string type, string idPrefix) => _stack.Json.Single(type, idPrefix).Id + ".Arn";

    private string StateMachine => "ref:" + _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders").Id;

    private const string OtherStateMachine = "arn:aws:states:eu-west-1:123456789012:stateMachine:someone-elses";

    [Fact]
    public void The_press_handler_never_heartbeats_a_task()
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction("GatewayPressHandler");
        Assert.False(PolicySimulator.IsAllowed(role, "states:SendTaskHeartbeat", StateMachine));
    }

    [Fact]
    public void The_press_handler_reads_the_history_of_order_executions_only()
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction("GatewayPressHandler");
        Assert.True(PolicySimulator.IsAllowed(role, "states:GetExecutionHistory", "arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-1"));
        Assert.False(PolicySimulator.IsAllowed(role, "states:GetExecutionHistory", "arn:aws:states:eu-west-1:123456789012:execution:someone-elses:ord-1"));
        Assert.False(PolicySimulator.IsAllowed(role, "states:DescribeExecution", "arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-1"));
    }

    [Theory]
    [InlineData("states:SendTaskSuccess")]
    [InlineData("states:SendTaskFailure")]
    public void The_press_handler_answers_tasks_of_the_order_workflow_only(string action)
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction("GatewayPressHandler");
        Assert.True(PolicySimulator.IsAllowed(role, action, StateMachine));
        Assert.False(PolicySimulator.IsAllowed(role, action, OtherStateMachine));
        Assert.False(PolicySimulator.IsAllowed(role, "states:StartExecution", StateMachine));
        Assert.False(PolicySimulator.IsAllowed(role, "states:StopExecution", StateMachine));
    }

    [Fact]
    public void The_press_handler_touches_each_table_only_as_its_code_does()
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction("GatewayPressHandler");
        string pending = Arn("AWS::DynamoDB::Table", "TablesPendingTasks");
        string devices = Arn("AWS::DynamoDB::Table", "TablesDevices");
        string ledger = Arn("AWS::DynamoDB::Table", "TablesPressLedger");

        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:Query", pending));
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:UpdateItem", pending));
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:DeleteItem", pending));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:PutItem", pending));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:Scan", pending));
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:GetItem", devices));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:PutItem", devices));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:UpdateItem", devices));
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:PutItem", ledger));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:DeleteItem", ledger));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:DeleteTable", pending));
    }

    [Theory]
    [InlineData("GatewayPressHandler")]
    [InlineData("GatewayNotifier")]
    public void Gateway_functions_publish_only_to_button_state_topics(string function)
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction(function);
        Assert.True(PolicySimulator.IsAllowed(role, "iot:Publish", "arn:aws:iot:eu-west-1:123456789012:topic/cmd/kitchenbutton/pizza-oven-1/state"));
        Assert.False(PolicySimulator.IsAllowed(role, "iot:Publish", "arn:aws:iot:eu-west-1:123456789012:topic/dt/kitchenbutton/pizza-oven-1/press"));
        Assert.False(PolicySimulator.IsAllowed(role, "iot:Publish", "arn:aws:iot:eu-west-1:123456789012:topic/$aws/things/x/shadow/update"));
        Assert.False(PolicySimulator.IsAllowed(role, "iot:Publish", "arn:aws:iot:us-east-1:123456789012:topic/cmd/kitchenbutton/pizza-oven-1/state"));

        // The state message is retained: AWS IoT checks iot:RetainPublish as well.
        Assert.True(PolicySimulator.IsAllowed(role, "iot:RetainPublish", "arn:aws:iot:eu-west-1:123456789012:topic/cmd/kitchenbutton/pizza-oven-1/state"));
        Assert.False(PolicySimulator.IsAllowed(role, "iot:RetainPublish", "arn:aws:iot:eu-west-1:123456789012:topic/dt/kitchenbutton/pizza-oven-1/press"));
    }

    [Fact]
    public void Topic_arns_use_the_deploying_stacks_region_not_the_synth_machines()
    {
        // An offline synth knows some region (CDK_DEFAULT_REGION); the template must not bake it in.
        string text = _stack.Json.Root.GetRawText();
        Assert.DoesNotContain(":iot:" + StackFixture.Region + ":", text);
        Assert.Contains(":iot:", text);
    }

    [Fact]
    public void No_function_is_granted_a_table_index_it_does_not_query()
    {
        // Only the notifier queries an index (devices byStation); a blanket /index/* grant is gone.
        foreach (string function in new[] { "GatewayPressHandler", "GatewayNotifier", "GatewayStatusRecorder", "GatewaySilentButtonSweep", "GatewayOrderCleanup" })
        {
            IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction(function);
            foreach (string table in new[] { "TablesPendingTasks", "TablesDevices", "TablesStations", "TablesPressLedger" })
            {
                bool expected = function == "GatewayNotifier" && table == "TablesDevices";
                Assert.Equal(expected, PolicySimulator.IsAllowed(role, "dynamodb:Query", Arn("AWS::DynamoDB::Table", table) + "/index/byStation"));
                Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:Query", Arn("AWS::DynamoDB::Table", table) + "/index/other"));
            }
        }
    }

    [Fact]
    public void The_order_cleanup_finds_and_deletes_tickets_and_nothing_else()
    {
        IReadOnlyList<JsonElement> role = _stack.Json.RoleStatementsOfFunction("GatewayOrderCleanup");
        string pending = Arn("AWS::DynamoDB::Table", "TablesPendingTasks");
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:Query", pending));
        Assert.True(PolicySimulator.IsAllowed(role, "dynamodb:DeleteItem", pending));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:PutItem", pending));
        Assert.False(PolicySimulator.IsAllowed(role, "dynamodb:GetItem", Arn("AWS::DynamoDB::Table", "TablesDevices")));
        Assert.False(PolicySimulator.IsAllowed(role, "iot:Publish", "arn:aws:iot:eu-west-1:123456789012:topic/cmd/kitchenbutton/x/state"));
    }

    [Fact]
    public void The_status_recorder_and_sweep_only_touch_the_devices_table_their_way()
    {
        string devices = Arn("AWS::DynamoDB::Table", "TablesDevices");
        IReadOnlyList<JsonElement> recorder = _stack.Json.RoleStatementsOfFunction("GatewayStatusRecorder");
        IReadOnlyList<JsonElement> sweep = _stack.Json.RoleStatementsOfFunction("GatewaySilentButtonSweep");
        Assert.True(PolicySimulator.IsAllowed(recorder, "dynamodb:UpdateItem", devices));
        Assert.False(PolicySimulator.IsAllowed(recorder, "dynamodb:PutItem", devices));
        Assert.False(PolicySimulator.IsAllowed(recorder, "dynamodb:UpdateItem", Arn("AWS::DynamoDB::Table", "TablesPendingTasks")));
        Assert.True(PolicySimulator.IsAllowed(sweep, "dynamodb:Scan", devices));
        Assert.False(PolicySimulator.IsAllowed(sweep, "dynamodb:UpdateItem", devices));
        Assert.False(PolicySimulator.IsAllowed(sweep, "iot:Publish", "arn:aws:iot:eu-west-1:123456789012:topic/cmd/kitchenbutton/x/state"));
    }

    [Fact]
    public void The_workflow_is_granted_what_its_definition_uses_and_no_more()
    {
        var (_, machine) = _stack.Json.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        string role = machine.GetProperty("RoleArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        IReadOnlyList<JsonElement> statements = _stack.Json.StatementsOfRole(role);
        string pending = Arn("AWS::DynamoDB::Table", "TablesPendingTasks");
        string stations = Arn("AWS::DynamoDB::Table", "TablesStations");
        string kitchenAlerts = "ref:" + _stack.Json.Single("AWS::SNS::Topic", "WorkflowKitchenAlerts").Id;

        Assert.True(PolicySimulator.IsAllowed(statements, "dynamodb:PutItem", pending));
        Assert.True(PolicySimulator.IsAllowed(statements, "dynamodb:DeleteItem", pending));
        Assert.False(PolicySimulator.IsAllowed(statements, "dynamodb:Query", pending));
        Assert.True(PolicySimulator.IsAllowed(statements, "dynamodb:GetItem", stations));
        Assert.False(PolicySimulator.IsAllowed(statements, "dynamodb:PutItem", stations));
        Assert.False(PolicySimulator.IsAllowed(statements, "dynamodb:GetItem", Arn("AWS::DynamoDB::Table", "TablesDevices")));
        Assert.True(PolicySimulator.IsAllowed(statements, "sns:Publish", kitchenAlerts));
        Assert.False(PolicySimulator.IsAllowed(statements, "sns:Publish", "ref:" + _stack.Json.Single("AWS::SNS::Topic", "AlarmsAlarmTopic").Id));
        var ownNamespace = new Dictionary<string, string> { ["cloudwatch:namespace"] = "KitchenButton/dev" };
        var otherNamespace = new Dictionary<string, string> { ["cloudwatch:namespace"] = "AWS/Lambda" };
        Assert.True(PolicySimulator.IsAllowed(statements, "cloudwatch:PutMetricData", "*", context: ownNamespace));
        Assert.False(PolicySimulator.IsAllowed(statements, "cloudwatch:PutMetricData", "*", context: otherNamespace));
    }

    [Fact]
    public void The_simulator_itself_tells_allow_from_deny()
    {
        JsonElement policy = JsonDocument.Parse("""
            [{"Effect":"Allow","Action":["s3:Get*"],"Resource":"arn:aws:s3:::b/${aws:username}/*"},
             {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/ann/secret"}]
            """).RootElement;
        var statements = policy.EnumerateArray().ToList();
        var ann = new Dictionary<string, string> { ["aws:username"] = "ann" };
        Assert.True(PolicySimulator.IsAllowed(statements, "s3:GetObject", "arn:aws:s3:::b/ann/notes", ann));
        Assert.False(PolicySimulator.IsAllowed(statements, "s3:GetObject", "arn:aws:s3:::b/bob/notes", ann));
        Assert.False(PolicySimulator.IsAllowed(statements, "s3:GetObject", "arn:aws:s3:::b/ann/secret", ann));
        Assert.False(PolicySimulator.IsAllowed(statements, "s3:PutObject", "arn:aws:s3:::b/ann/notes", ann));
    }
}
