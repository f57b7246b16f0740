using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>Reads a synthesised template, resolving the intrinsics CDK emits into comparable strings.</summary>
public sealed class TemplateJson
{
    private readonly JsonElement _root;

    public TemplateJson(JsonElement root)
    {
        _root = root;
    }

    public IEnumerable<(string Id, JsonElement Properties)> Resources(string type)
    {
        foreach (JsonProperty r in _root.GetProperty("Resources").EnumerateObject())
        {
            if (r.Value.GetProperty("Type").GetString() == type)
            {
                yield return (r.Name, r.Value.TryGetProperty("Properties", out JsonElement p) ? p : default);
            }
        }
    }

    public JsonElement Resource(string id) => _root.GetProperty("Resources").GetProperty(id);

    /// <summary>The whole template.</summary>
    public JsonElement Root => _root;

    /// <summary>The one resource of a type whose logical id starts with a prefix.</summary>
    public (string Id, JsonElement Properties) Single(string type, string idPrefix)
    {
        var matches = Resources(type).Where(r => r.Id.StartsWith(idPrefix, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            throw new InvalidOperationException(matches.Count + " resources of " + type + " start with " + idPrefix);
        }

        return matches[0];
    }

    /// <summary>
    /// A string for any value: literals as they are, Ref as "ref:{id}", GetAtt as "{id}.{attr}",
    /// pseudo parameters as their test values, Fn::Join joined.
    /// </summary>
    public static string Resolve(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return value.GetRawText();
            case JsonValueKind.Object:
                if (value.TryGetProperty("Ref", out JsonElement r))
                {
                    return r.GetString() switch
                    {
                        "AWS::Partition" => "aws",
                        "AWS::Region" => StackFixture.Region,
                        "AWS::AccountId" => StackFixture.Account,
                        "AWS::URLSuffix" => "amazonaws.com",
                        string id => "ref:" + id,
                        _ => throw new InvalidOperationException(),
                    };
                }

                if (value.TryGetProperty("Fn::GetAtt", out JsonElement a))
                {
                    return a[0].GetString() + "." + a[1].GetString();
                }

                if (value.TryGetProperty("Fn::Join", out JsonElement j))
                {
                    return string.Join(j[0].GetString(), j[1].EnumerateArray().Select(Resolve));
                }

                return value.GetRawText();
            default:
                return value.GetRawText();
        }
    }

    /// <summary>A value that may be one item or an array, as strings.</summary>
    public static IReadOnlyList<string> Strings(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().Where(v => !IsNoValue(v)).Select(Resolve).ToList();
        }

        return new[] { Resolve(value) };
    }

    /// <summary>The statements of every IAM policy attached to the role a Lambda function runs as.</summary>
    public IReadOnlyList<JsonElement> RoleStatementsOfFunction(string functionIdPrefix)
    {
        var (_, fn) = Single("AWS::Lambda::Function", functionIdPrefix);
        string role = fn.GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString()!;
        return StatementsOfRole(role);
    }

    public IReadOnlyList<JsonElement> StatementsOfRole(string roleId)
    {
        var statements = new List<JsonElement>();
        foreach (var (_, policy) in Resources("AWS::IAM::Policy"))
        {
            if (policy.GetProperty("Roles").EnumerateArray().Any(r => Resolve(r) == "ref:" + roleId))
            {
                statements.AddRange(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
            }
        }

        return statements;
    }

    private static bool IsNoValue(JsonElement v) =>
        v.ValueKind == JsonValueKind.Object && v.TryGetProperty("Ref", out JsonElement r) && r.GetString() == "AWS::NoValue";
}
