using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using KitchenButton.Infrastructure.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

/// <summary>The stack's outputs, which operators read after a deploy, as the operations guide names them.</summary>
[Collection(StackCollection.Name)]
public sealed class OutputTests
{
    private readonly StackFixture _stack;

    public OutputTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public void The_operations_guide_lists_exactly_the_stacks_outputs()
    {
        string[] outputs = _stack.Json.Root.GetProperty("Outputs").EnumerateObject().Select(o => o.Name).ToArray();
        string guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "operations.md"));
        int start = guide.IndexOf("\nOutputs: ", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md no longer lists the stack's outputs");
        string paragraph = guide[start..guide.IndexOf("\n\n", start, StringComparison.Ordinal)];

        // The outputs are the backquoted names; the paragraph's commands are not names.
        string[] listed = Regex.Matches(paragraph, "`([A-Z][A-Za-z]+)`").Select(m => m.Groups[1].Value).ToArray();
        Assert.True(outputs.Except(listed).ToArray() is [], "the stack outputs what the guide does not list: " + string.Join(", ", outputs.Except(listed)));
        Assert.True(listed.Except(outputs).ToArray() is [], "the guide lists what the stack does not output: " + string.Join(", ", listed.Except(outputs)));
    }

    [Fact]
    public void The_operator_policy_output_is_the_arn_of_the_operators_managed_policy()
    {
        var (id, policy) = _stack.Json.Single("AWS::IAM::ManagedPolicy", "OperatorsPolicy");
        JsonElement output = _stack.Json.Root.GetProperty("Outputs").GetProperty("OperatorPolicyArn");

        // A managed policy's Ref is its ARN.
        Assert.Equal("ref:" + id, TemplateJson.Resolve(output.GetProperty("Value")));
        Assert.Equal("kitchenbutton-dev-operator", policy.GetProperty("ManagedPolicyName").GetString());
    }
}
