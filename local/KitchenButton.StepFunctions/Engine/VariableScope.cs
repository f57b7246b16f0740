using System.Collections.Generic;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// Workflow variables (Assign) of one scope, kept as JSON text. A Map iteration or Parallel branch
/// gets a scope of its own: it reads the outer variables, and what it assigns stays inside it.
/// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
/// </summary>
internal sealed class VariableScope
{
    private readonly VariableScope? _outer;
    private readonly Dictionary<string, string> _own = new(System.StringComparer.Ordinal);

    public VariableScope(VariableScope? outer) => _outer = outer;

    public void Assign(IReadOnlyDictionary<string, string> values)
    {
        lock (_own)
        {
            foreach (KeyValuePair<string, string> value in values)
            {
                _own[value.Key] = value.Value;
            }
        }
    }

    /// <summary>Every visible variable, inner ones hiding outer ones of the same name.</summary>
    public void CopyInto(Dictionary<string, string> bindings)
    {
        _outer?.CopyInto(bindings);
        lock (_own)
        {
            foreach (KeyValuePair<string, string> value in _own)
            {
                bindings[value.Key] = value.Value;
            }
        }
    }
}
