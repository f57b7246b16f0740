using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using KitchenButton.StepFunctions.Jsonata;

namespace KitchenButton.StepFunctions.Definition;

/// <summary>
/// What the local engine runs, checked before a state machine is created: Amazon States Language in
/// JSONata mode, the state types, fields and integrations listed here, and JSONata that compiles
/// without Step Functions' own functions the reference implementation lacks. Anything else is named,
/// with where it is, so a definition is refused whole instead of ignored or half run.
/// https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
/// </summary>
public static partial class DefinitionCheck
{
    private static readonly HashSet<string> TopFields = new(StringComparer.Ordinal) { "Comment", "StartAt", "States", "QueryLanguage", "TimeoutSeconds", "Version" };

    private static readonly HashSet<string> CommonFields = new(StringComparer.Ordinal) { "Type", "Comment", "QueryLanguage" };

    private static readonly Dictionary<string, HashSet<string>> FieldsByType = new(StringComparer.Ordinal)
    {
        ["Task"] = new(StringComparer.Ordinal) { "Resource", "Arguments", "Output", "Assign", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch", "Next", "End" },
        ["Pass"] = new(StringComparer.Ordinal) { "Output", "Assign", "Next", "End" },
        ["Choice"] = new(StringComparer.Ordinal) { "Choices", "Default", "Output", "Assign" },
        ["Wait"] = new(StringComparer.Ordinal) { "Seconds", "Timestamp", "Output", "Assign", "Next", "End" },
        ["Succeed"] = new(StringComparer.Ordinal) { "Output" },
        ["Fail"] = new(StringComparer.Ordinal) { "Error", "Cause" },
        ["Parallel"] = new(StringComparer.Ordinal) { "Branches", "Arguments", "Output", "Assign", "Retry", "Catch", "Next", "End" },
        ["Map"] = new(StringComparer.Ordinal) { "ItemProcessor", "Items", "ItemSelector", "MaxConcurrency", "Output", "Assign", "Retry", "Catch", "Next", "End" },
    };

    /// <summary>JSONPath-mode fields: meaningless in JSONata mode, so named rather than ignored.</summary>
    private static readonly HashSet<string> JsonPathFields = new(StringComparer.Ordinal)
    {
        "InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "ItemsPath", "Variable", "SecondsPath", "TimestampPath",
        "ErrorPath", "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "Iterator",
    };

    private static readonly HashSet<string> RetryFields = new(StringComparer.Ordinal) { "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment" };

    private static readonly HashSet<string> CatchFields = new(StringComparer.Ordinal) { "ErrorEquals", "Next", "Output", "Assign", "Comment" };

    private static readonly HashSet<string> ChoiceRuleFields = new(StringComparer.Ordinal) { "Condition", "Next", "Output", "Assign", "Comment" };

    /// <summary>The optimized DynamoDB integration's request-response actions.</summary>
    private static readonly HashSet<string> OptimizedDynamo = new(StringComparer.Ordinal) { "getItem", "putItem", "updateItem", "deleteItem" };

    /// <summary>Step Functions' additions to JSONata, which the reference implementation does not have.</summary>
    private static readonly string[] StepFunctionsOnlyFunctions = { "$partition", "$range", "$hash", "$random", "$uuid", "$parse" };

    /// <summary>Every problem in the definition after its substitutions; empty when the engine runs all of it.</summary>
    public static IReadOnlyList<DefinitionProblem> Check(string definitionJson, IReadOnlyDictionary<string, string> substitutions, JsonataEngine jsonata)
    {
        var problems = new List<DefinitionProblem>();
        string substituted = DefinitionSubstitutions.Apply(definitionJson, substitutions, problems);
        problems.AddRange(Check(substituted, jsonata));
        return problems;
    }

    /// <summary>Every problem in the definition; empty when the engine runs all of it.</summary>
    public static IReadOnlyList<DefinitionProblem> Check(string definitionJson, JsonataEngine jsonata)
    {
        var problems = new List<DefinitionProblem>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(definitionJson);
        }
        catch (JsonException e)
        {
            return new[] { new DefinitionProblem("$", "not JSON: " + e.Message) };
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new[] { new DefinitionProblem("$", "a definition is a JSON object") };
            }

            if (!root.TryGetProperty("QueryLanguage", out JsonElement language) || language.GetString() != "JSONata")
            {
                problems.Add(new DefinitionProblem("$.QueryLanguage", "the local engine runs JSONata mode only: set \"QueryLanguage\": \"JSONata\""));
            }

            Unknown(root, "$", TopFields, problems);
            CheckMachine(root, "$", jsonata, problems);
        }

        return problems;
    }

    private static void CheckMachine(JsonElement machine, string path, JsonataEngine jsonata, List<DefinitionProblem> problems)
    {
        if (!machine.TryGetProperty("States", out JsonElement states) || states.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new DefinitionProblem(path, "no States"));
            return;
        }

        var names = new HashSet<string>(states.EnumerateObject().Select(s => s.Name), StringComparer.Ordinal);
        string? start = machine.TryGetProperty("StartAt", out JsonElement s) ? s.GetString() : null;
        if (start == null || !names.Contains(start))
        {
            problems.Add(new DefinitionProblem(path + ".StartAt", "StartAt names no state: " + (start ?? "(missing)")));
        }

        foreach (JsonProperty state in states.EnumerateObject())
        {
            CheckState(state.Value, path + ".States." + state.Name, names, jsonata, problems);
        }
    }

    private static void CheckState(JsonElement state, string path, HashSet<string> names, JsonataEngine jsonata, List<DefinitionProblem> problems)
    {
        string type = state.TryGetProperty("Type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
        if (!FieldsByType.TryGetValue(type, out HashSet<string>? fields))
        {
            problems.Add(new DefinitionProblem(path + ".Type", "state type '" + type + "' is not implemented by the local engine"));
            return;
        }

        if (state.TryGetProperty("QueryLanguage", out JsonElement language) && language.GetString() != "JSONata")
        {
            problems.Add(new DefinitionProblem(path + ".QueryLanguage", "the local engine runs JSONata mode only"));
        }

        foreach (JsonProperty field in state.EnumerateObject())
        {
            if (CommonFields.Contains(field.Name) || fields.Contains(field.Name))
            {
                continue;
            }

            problems.Add(new DefinitionProblem(path + "." + field.Name, JsonPathFields.Contains(field.Name)
                ? "'" + field.Name + "' is a JSONPath field; in JSONata mode use Arguments, Output and Assign"
                : "'" + field.Name + "' is not implemented for a " + type + " state by the local engine"));
        }

        CheckTransitions(state, path, type, names, problems);
        if (type == "Task")
        {
            CheckResource(state, path, problems);
        }

        CheckRetriers(state, path, names, jsonata, problems);
        if (type == "Choice" && state.TryGetProperty("Choices", out JsonElement choices) && choices.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement rule in choices.EnumerateArray())
            {
                string rulePath = path + ".Choices[" + i++ + "]";
                Unknown(rule, rulePath, ChoiceRuleFields, problems);
                Target(rule, "Next", rulePath, names, problems, required: true);
            }
        }

        if (type == "Parallel" && state.TryGetProperty("Branches", out JsonElement branches) && branches.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement branch in branches.EnumerateArray())
            {
                CheckMachine(branch, path + ".Branches[" + i++ + "]", jsonata, problems);
            }
        }

        if (type == "Map")
        {
            CheckMap(state, path, jsonata, problems);
        }

        foreach (JsonProperty field in state.EnumerateObject())
        {
            if (field.Name is not ("Branches" or "ItemProcessor" or "Retry" or "Catch"))
            {
                CheckExpressions(field.Value, path + "." + field.Name, jsonata, problems);
            }
        }
    }

    private static void CheckTransitions(JsonElement state, string path, string type, HashSet<string> names, List<DefinitionProblem> problems)
    {
        if (type is "Choice" or "Succeed" or "Fail")
        {
            if (type == "Choice")
            {
                Target(state, "Default", path, names, problems, required: false);
            }

            return;
        }

        bool end = state.TryGetProperty("End", out JsonElement e) && e.ValueKind == JsonValueKind.True;
        if (!end)
        {
            Target(state, "Next", path, names, problems, required: true);
        }
    }

    private static void CheckResource(JsonElement state, string path, List<DefinitionProblem> problems)
    {
        string resource = state.TryGetProperty("Resource", out JsonElement r) ? r.GetString() ?? string.Empty : string.Empty;
        Match sdk = AwsSdkDynamo().Match(resource);
        Match optimized = OptimizedIntegration().Match(resource);
        bool supported = sdk.Success
            || (optimized.Success && optimized.Groups["service"].Value == "dynamodb" && OptimizedDynamo.Contains(optimized.Groups["action"].Value) && !optimized.Groups["pattern"].Success)
            || (optimized.Success && optimized.Groups["service"].Value == "sns" && optimized.Groups["action"].Value == "publish" && !optimized.Groups["pattern"].Success)
            || resource == "arn:aws:states:::aws-sdk:cloudwatch:putMetricData";
        if (!supported)
        {
            problems.Add(new DefinitionProblem(path + ".Resource", "integration '" + resource + "' is not implemented by the local engine "
                + "(it runs arn:aws:states:::aws-sdk:dynamodb:* with or without .waitForTaskToken, dynamodb:getItem/putItem/updateItem/deleteItem, and records sns:publish and aws-sdk:cloudwatch:putMetricData)"));
        }
    }

    private static void CheckRetriers(JsonElement state, string path, HashSet<string> names, JsonataEngine jsonata, List<DefinitionProblem> problems)
    {
        if (state.TryGetProperty("Retry", out JsonElement retry) && retry.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement retrier in retry.EnumerateArray())
            {
                string retrierPath = path + ".Retry[" + i++ + "]";
                Unknown(retrier, retrierPath, RetryFields, problems);
                if (retrier.TryGetProperty("JitterStrategy", out JsonElement jitter) && jitter.GetString() is not ("FULL" or "NONE"))
                {
                    problems.Add(new DefinitionProblem(retrierPath + ".JitterStrategy", "JitterStrategy is FULL or NONE"));
                }
            }
        }

        if (state.TryGetProperty("Catch", out JsonElement catchers) && catchers.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement catcher in catchers.EnumerateArray())
            {
                string catcherPath = path + ".Catch[" + i++ + "]";
                Unknown(catcher, catcherPath, CatchFields, problems);
                Target(catcher, "Next", catcherPath, names, problems, required: true);
                foreach (JsonProperty field in catcher.EnumerateObject())
                {
                    CheckExpressions(field.Value, catcherPath + "." + field.Name, jsonata, problems);
                }
            }
        }
    }

    private static void CheckMap(JsonElement state, string path, JsonataEngine jsonata, List<DefinitionProblem> problems)
    {
        if (!state.TryGetProperty("ItemProcessor", out JsonElement processor) || processor.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new DefinitionProblem(path, "a Map state needs an ItemProcessor"));
            return;
        }

        foreach (JsonProperty field in processor.EnumerateObject())
        {
            if (field.Name == "ProcessorConfig")
            {
                string mode = field.Value.TryGetProperty("Mode", out JsonElement m) ? m.GetString() ?? "INLINE" : "INLINE";
                if (mode != "INLINE")
                {
                    problems.Add(new DefinitionProblem(path + ".ItemProcessor.ProcessorConfig.Mode", "only INLINE Map states run locally, not " + mode));
                }
            }
            else if (field.Name is not ("StartAt" or "States" or "Comment"))
            {
                problems.Add(new DefinitionProblem(path + ".ItemProcessor." + field.Name, "'" + field.Name + "' is not implemented for a Map's ItemProcessor by the local engine"));
            }
        }

        CheckMachine(processor, path + ".ItemProcessor", jsonata, problems);
    }

    /// <summary>Every "{% ... %}" string under <paramref name="value"/> must compile and use no function the engine lacks.</summary>
    private static void CheckExpressions(JsonElement value, string path, JsonataEngine jsonata, List<DefinitionProblem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                string text = value.GetString()!;
                if (!text.StartsWith("{%", StringComparison.Ordinal) || !text.EndsWith("%}", StringComparison.Ordinal) || text.Length < 4)
                {
                    return;
                }

                string expression = text[2..^2].Trim();
                foreach (string function in StepFunctionsOnlyFunctions)
                {
                    if (Regex.IsMatch(expression, Regex.Escape(function) + @"\s*\("))
                    {
                        problems.Add(new DefinitionProblem(path, "JSONata function " + function + " (a Step Functions addition) is not implemented by the local engine"));
                    }
                }

                try
                {
                    jsonata.Compile(expression);
                }
                catch (JsonataException e)
                {
                    problems.Add(new DefinitionProblem(path, "JSONata does not compile: " + e.Message));
                }

                return;
            case JsonValueKind.Object:
                foreach (JsonProperty field in value.EnumerateObject())
                {
                    CheckExpressions(field.Value, path + "." + field.Name, jsonata, problems);
                }

                return;
            case JsonValueKind.Array:
                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    CheckExpressions(item, path + "[" + i++ + "]", jsonata, problems);
                }

                return;
            default:
                return;
        }
    }

    private static void Target(JsonElement owner, string field, string path, HashSet<string> names, List<DefinitionProblem> problems, bool required)
    {
        if (!owner.TryGetProperty(field, out JsonElement next))
        {
            if (required)
            {
                problems.Add(new DefinitionProblem(path, "no " + field + " (and not End)"));
            }

            return;
        }

        if (next.GetString() is not { } name || !names.Contains(name))
        {
            problems.Add(new DefinitionProblem(path + "." + field, field + " names no state in its scope: " + next));
        }
    }

    private static void Unknown(JsonElement element, string path, HashSet<string> allowed, List<DefinitionProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty field in element.EnumerateObject())
        {
            if (!allowed.Contains(field.Name))
            {
                problems.Add(new DefinitionProblem(path + "." + field.Name, "'" + field.Name + "' is not implemented here by the local engine"));
            }
        }
    }

    [GeneratedRegex(@"^arn:aws:states:::aws-sdk:dynamodb:[a-z][A-Za-z]+(\.waitForTaskToken)?$")]
    private static partial Regex AwsSdkDynamo();

    [GeneratedRegex(@"^arn:aws:states:::(?<service>[a-z0-9]+):(?<action>[A-Za-z]+)(?<pattern>\.(sync|waitForTaskToken))?$")]
    private static partial Regex OptimizedIntegration();
}
