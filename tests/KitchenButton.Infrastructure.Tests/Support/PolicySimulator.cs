using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>
/// Evaluates IAM / IoT policy statements the way AWS does for the parts this stack uses: explicit
/// Deny wins, otherwise some Allow must match the action and the resource (with * and ? wildcards
/// and policy variables), and every Bool / StringEquals condition must hold in the request context.
/// </summary>
public static class PolicySimulator
{
    public static bool IsAllowed(IEnumerable<JsonElement> statements, string action, string resource,
        IReadOnlyDictionary<string, string>? variables = null, IReadOnlyDictionary<string, string>? context = null)
    {
        bool allowed = false;
        foreach (JsonElement s in statements)
        {
            if (!Matches(s, action, resource, variables, context))
            {
                continue;
            }

            if (s.GetProperty("Effect").GetString() == "Deny")
            {
                return false;
            }

            allowed = true;
        }

        return allowed;
    }

    private static bool Matches(JsonElement s, string action, string resource, IReadOnlyDictionary<string, string>? variables, IReadOnlyDictionary<string, string>? context)
    {
        if (!TemplateJson.Strings(s.GetProperty("Action")).Any(a => Wildcard(a, action, ignoreCase: true)))
        {
            return false;
        }

        if (!TemplateJson.Strings(s.GetProperty("Resource")).Any(r => Wildcard(Substitute(r, variables), resource, ignoreCase: false)))
        {
            return false;
        }

        if (s.TryGetProperty("Condition", out JsonElement conditions))
        {
            foreach (JsonProperty op in conditions.EnumerateObject())
            {
                if (op.Name is not ("Bool" or "StringEquals"))
                {
                    throw new NotSupportedException("condition operator " + op.Name);
                }

                foreach (JsonProperty key in op.Value.EnumerateObject())
                {
                    if (context == null || !context.TryGetValue(key.Name, out string? actual) || actual != TemplateJson.Resolve(key.Value))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static string Substitute(string pattern, IReadOnlyDictionary<string, string>? variables)
    {
        if (variables == null)
        {
            return pattern;
        }

        foreach (var (name, value) in variables)
        {
            pattern = pattern.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }

        return pattern;
    }

    private static bool Wildcard(string pattern, string value, bool ignoreCase)
    {
        string regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return Regex.IsMatch(value, regex, ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
    }
}
