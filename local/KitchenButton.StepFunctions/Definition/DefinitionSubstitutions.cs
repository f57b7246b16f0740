using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace KitchenButton.StepFunctions.Definition;

/// <summary>
/// Step Functions' definition substitutions: each ${Name} replaced by its value before the
/// definition is used, as CloudFormation does for AWS::StepFunctions::StateMachine. A placeholder left
/// without a value is a problem, not a literal.
/// </summary>
public static partial class DefinitionSubstitutions
{
    public static string Apply(string definition, IReadOnlyDictionary<string, string> values, List<DefinitionProblem> problems)
    {
        return Placeholder().Replace(definition, match =>
        {
            string name = match.Groups[1].Value;
            if (values.TryGetValue(name, out string? value))
            {
                return value;
            }

            problems.Add(new DefinitionProblem("$", "no value for the substitution ${" + name + "}"));
            return match.Value;
        });
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
