using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using KitchenButton.StepFunctions.Jsonata;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// A field's value in JSONata mode: a string "{% expression %}" is evaluated by the reference
/// implementation with $states and the variables bound; objects and arrays are evaluated member by
/// member at any depth; every other value is itself. An expression that fails, or gives no value,
/// raises States.QueryEvaluationError naming the field.
/// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
/// </summary>
internal sealed class FieldEvaluator
{
    private readonly JsonataEngine _jsonata;

    public FieldEvaluator(JsonataEngine jsonata) => _jsonata = jsonata;

    public static bool IsExpression(string text, out string source)
    {
        if (text.Length >= 4 && text.StartsWith("{%", System.StringComparison.Ordinal) && text.EndsWith("%}", System.StringComparison.Ordinal))
        {
            source = text[2..^2];
            return true;
        }

        source = string.Empty;
        return false;
    }

    public JsonNode? Evaluate(JsonElement field, IReadOnlyDictionary<string, string> bindings, string location)
    {
        switch (field.ValueKind)
        {
            case JsonValueKind.String when IsExpression(field.GetString()!, out string source):
                string? result;
                try
                {
                    result = _jsonata.Evaluate(_jsonata.Compile(source), null, bindings);
                }
                catch (JsonataException e)
                {
                    throw new StatesError(StatesError.QueryEvaluationError, "The JSONata expression '" + source.Trim() + "' specified for the field '" + location + "' returned an error: " + e.Code + " " + e.Message, location);
                }

                return result is null
                    ? throw new StatesError(StatesError.QueryEvaluationError, "The JSONata expression '" + source.Trim() + "' specified for the field '" + location + "' returned nothing (undefined).", location)
                    : JsonNode.Parse(result);
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (JsonProperty property in field.EnumerateObject())
                {
                    obj[property.Name] = Evaluate(property.Value, bindings, location + "." + property.Name);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                int i = 0;
                foreach (JsonElement item in field.EnumerateArray())
                {
                    array.Add(Evaluate(item, bindings, location + "[" + i++ + "]"));
                }

                return array;
            default:
                return JsonNode.Parse(field.GetRawText());
        }
    }
}
