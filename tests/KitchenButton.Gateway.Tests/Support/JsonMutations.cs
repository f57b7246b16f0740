using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace KitchenButton.Gateway.Tests.Support;

/// <summary>
/// A valid JSON object with one field changed: its value replaced by any JSON value, the field left
/// out, given twice, or joined by an unknown one. Random bytes mostly stop at the JSON syntax; these
/// reach a parser's type, range and presence checks, where an unguarded read would throw.
/// </summary>
public static class JsonMutations
{
    /// <summary>Any JSON value as text: edge numbers, any string (lone surrogates included), literals, containers, nesting deeper than readers allow.</summary>
    public static Gen<string> Value { get; } = Gen.OneOf(
        Gen.Elements("0", "-1", "1.0", "0.5", "1e2", "1e999", "-1e-999", "4294967296", "9223372036854775808", "-9223372036854775809", "253402300800000"),
        Gen.Choose(int.MinValue, int.MaxValue).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(chars => JsonSerializer.Serialize(new string(chars))),
        Gen.Elements("\"\"", "\"\\ud800\"", "\"\\udfff x\"", "\"" + new string('x', 2000) + "\"", "true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"a\":{}}"),
        Gen.Elements(new string('[', 70) + new string(']', 70), "{\"a\":" + string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)) + "}"));

    /// <summary>Mutations of <paramref name="validObject"/>, a JSON object's text.</summary>
    public static Arbitrary<string> Of(string validObject)
    {
        List<(string Name, string Value)> fields;
        using (JsonDocument doc = JsonDocument.Parse(validObject))
        {
            fields = doc.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())).ToList();
        }

        Gen<string> mutated =
            from index in Gen.Choose(0, fields.Count - 1)
            from kind in Gen.Choose(0, 3)
            from value in Value
            select Write(Mutate(fields, index, kind, value));
        return mutated.ToArbitrary();
    }

    private static IEnumerable<(string Name, string Value)> Mutate(List<(string Name, string Value)> fields, int index, int kind, string value)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i != index)
            {
                yield return fields[i];
                continue;
            }

            switch (kind)
            {
                case 0:
                    yield return (fields[i].Name, value);
                    break;
                case 1:
                    // Left out.
                    break;
                case 2:
                    yield return fields[i];
                    yield return (fields[i].Name, value);
                    break;
                default:
                    yield return fields[i];
                    yield return ("unknownField", value);
                    break;
            }
        }
    }

    private static string Write(IEnumerable<(string Name, string Value)> fields) =>
        "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Name) + ":" + f.Value)) + "}";
}
