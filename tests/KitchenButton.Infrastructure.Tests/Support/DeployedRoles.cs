using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using KitchenButton.LocalAws;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>
/// The roles of a synthesized stack as the local stack's calls meet them: each gateway function's
/// role under the access key its local bootstrap signs with, the workflow's execution role, the
/// buttons' IoT policy, the operators' managed policy, and the template's form of a local resource's
/// ARN (a table's, queue's or function's is its GetAtt Arn, a state machine's its Ref); calls are read
/// against statements both ways.
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
        var (_, operators) = template.Single("AWS::IAM::ManagedPolicy", "OperatorsPolicy");
        OperatorPolicy = operators.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
    }

    /// <summary>The statements of the managed policy the stack makes for its operators.</summary>
    public IReadOnlyList<JsonElement> OperatorPolicy { get; }

    /// <summary>The statements of the IoT policy every button's certificate carries.</summary>
    public IReadOnlyList<JsonElement> DevicePolicy { get; }

    /// <summary>Each gateway function by the access key its local bootstrap signs with: its logical id and its role's statements.</summary>
    public Dictionary<string, (string Id, IReadOnlyList<JsonElement> Statements)> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>The statements of the order workflow's execution role.</summary>
    public IReadOnlyList<JsonElement> Workflow { get; }

    /// <summary>
    /// A local ARN as the template's policies name the same resource: tables, state machines, topics,
    /// queues and functions the stack creates by their logical ids; anything else (IoT topics, things
    /// and certificates, executions, another stack's resources) as it is.
    /// </summary>
    public string Symbolic(string arn)
    {
        string[] parts = arn.Split(':', 6);
        if (parts.Length < 6 || parts[3] != AwsCallLog.Region || parts[4] != AwsCallLog.Account)
        {
            return arn;
        }

        string resource = parts[5];
        string? table = resource.StartsWith("table/", StringComparison.Ordinal) ? resource["table/".Length..] : null;
        int index = table?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        string? symbolic = parts[2] switch
        {
            "dynamodb" when table != null => Id("AWS::DynamoDB::Table", "TableName", index < 0 ? table : table[..index], string.Empty, ".Arn" + (index < 0 ? string.Empty : table[index..])),
            "states" when resource.StartsWith("stateMachine:", StringComparison.Ordinal) => Id("AWS::StepFunctions::StateMachine", "StateMachineName", resource["stateMachine:".Length..], "ref:", string.Empty),
            "sns" => Id("AWS::SNS::Topic", "TopicName", resource, "ref:", string.Empty),
            "sqs" => Id("AWS::SQS::Queue", "QueueName", resource, string.Empty, ".Arn"),
            "lambda" when resource.StartsWith("function:", StringComparison.Ordinal) => Id("AWS::Lambda::Function", "FunctionName", resource["function:".Length..], string.Empty, ".Arn"),
            _ => null,
        };
        return symbolic ?? arn;
    }

    /// <summary>Each call the statements do not allow, as "action on ARN".</summary>
    public IEnumerable<string> Denied(IReadOnlyList<JsonElement> statements, IEnumerable<(string Action, string Resource, Dictionary<string, string>? Context)> calls, Dictionary<string, string>? variables = null) =>
        calls.Where(c => !PolicySimulator.IsAllowed(statements, c.Action, Symbolic(c.Resource), variables, c.Context))
            .Select(c => c.Action + " on " + c.Resource).Distinct();

    /// <summary>Each action-on-resource the statements allow that none of the calls used.</summary>
    public IEnumerable<(string Action, string Resource)> Unused(IReadOnlyList<JsonElement> statements, IReadOnlyList<(string Action, string Resource, Dictionary<string, string>? Context)> calls, Dictionary<string, string>? variables = null) =>
        statements.Where(s => s.GetProperty("Effect").GetString() == "Allow").SelectMany(Grants)
            .Where(g => !calls.Any(c => PolicySimulator.IsAllowed(Grant(g.Action, g.Resource), c.Action, Symbolic(c.Resource), variables, c.Context)));

    /// <summary>Each action and resource pair one statement grants.</summary>
    private static IEnumerable<(string Action, string Resource)> Grants(JsonElement statement) =>
        from action in TemplateJson.Strings(statement.GetProperty("Action"))
        from resource in TemplateJson.Strings(statement.GetProperty("Resource"))
        select (action, resource);

    /// <summary>A policy of one statement granting one action on one resource (already in the template's resolved form).</summary>
    private static IReadOnlyList<JsonElement> Grant(string action, string resource) =>
        new[] { JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource }) };

    /// <summary>
    /// The template's form of its resource of that name, its logical id between <paramref name="prefix"/>
    /// and <paramref name="suffix"/>; null when it has none (another stack's).
    /// </summary>
    private string? Id(string type, string nameProperty, string name, string prefix, string suffix)
    {
        var matches = _template.Resources(type)
            .Where(r => r.Properties.ValueKind == JsonValueKind.Object && r.Properties.TryGetProperty(nameProperty, out JsonElement n) && TemplateJson.Resolve(n) == name)
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => prefix + matches[0].Id + suffix,
            _ => throw new InvalidOperationException("the template has " + matches.Count + " " + type + " named " + name),
        };
    }
}
