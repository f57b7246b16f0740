using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.LocalAws;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>
/// The roles of a synthesized stack as the local stack's calls meet them: each gateway function's
/// role under the access key its local bootstrap signs with, the workflow's execution role, the
/// buttons' IoT policy, and the
/// template's form of a local resource's ARN (a table's is its GetAtt Arn, a state machine's its Ref).
/// </summary>
public sealed class DeployedRoles
{
    private readonly TemplateJson _template;

    public DeployedRoles(TemplateJson template)
    {
        _template = template;
        foreach (var (id, function) in template.Resources("AWS::Lambda::Function"))
        {
            // The gateway's handlers are Assembly::Type::Method; CDK's own helper functions are not.
            string handler = function.TryGetProperty("Handler", out JsonElement h) ? h.GetString() ?? string.Empty : string.Empty;
            if (handler.Contains("::", StringComparison.Ordinal))
            {
                Functions[LocalBootstrap.AccessKeyOf(handler[(handler.LastIndexOf("::", StringComparison.Ordinal) + 2)..])] = (id, template.RoleStatementsOfFunction(id));
            }
        }

        var (_, machine) = template.Single("AWS::StepFunctions::StateMachine", "WorkflowOrders");
        Workflow = template.StatementsOfRole(machine.GetProperty("RoleArn").GetProperty("Fn::GetAtt")[0].GetString()!);
        var (_, device) = template.Resources("AWS::IoT::Policy").Single();
        DevicePolicy = device.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
    }

    /// <summary>The statements of the IoT policy every button's certificate carries.</summary>
    public IReadOnlyList<JsonElement> DevicePolicy { get; }

    /// <summary>Each gateway function by the access key its local bootstrap signs with: its logical id and its role's statements.</summary>
    public Dictionary<string, (string Id, IReadOnlyList<JsonElement> Statements)> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>The statements of the order workflow's execution role.</summary>
    public IReadOnlyList<JsonElement> Workflow { get; }

    /// <summary>
    /// A local ARN as the template's policies name the same resource: tables, state machines and
    /// topics the stack creates by their logical ids; anything else (IoT topics, executions) as it is.
    /// </summary>
    public string Symbolic(string arn)
    {
        string[] parts = arn.Split(':', 6);
        if (parts.Length < 6 || parts[3] != AwsCallLog.Region || parts[4] != AwsCallLog.Account)
        {
            return arn;
        }

        string resource = parts[5];
        switch (parts[2])
        {
            case "dynamodb" when resource.StartsWith("table/", StringComparison.Ordinal):
                string table = resource["table/".Length..];
                int index = table.IndexOf('/', StringComparison.Ordinal);
                return Named("AWS::DynamoDB::Table", "TableName", index < 0 ? table : table[..index]) + ".Arn" + (index < 0 ? string.Empty : table[index..]);
            case "states" when resource.StartsWith("stateMachine:", StringComparison.Ordinal):
                return "ref:" + Named("AWS::StepFunctions::StateMachine", "StateMachineName", resource["stateMachine:".Length..]);
            case "sns":
                return "ref:" + Named("AWS::SNS::Topic", "TopicName", resource);
            default:
                return arn;
        }
    }

    private string Named(string type, string nameProperty, string name)
    {
        var matches = _template.Resources(type)
            .Where(r => r.Properties.ValueKind == JsonValueKind.Object && r.Properties.TryGetProperty(nameProperty, out JsonElement n) && TemplateJson.Resolve(n) == name)
            .ToList();
        return matches.Count == 1 ? matches[0].Id : throw new InvalidOperationException("the template has " + matches.Count + " " + type + " named " + name);
    }
}
