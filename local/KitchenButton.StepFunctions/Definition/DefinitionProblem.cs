namespace KitchenButton.StepFunctions.Definition;

/// <summary>One thing in a definition the local engine will not run, and where it is (a JSON path such as $.States.Prepare.Retry[0]).</summary>
public sealed record DefinitionProblem(string Path, string Message)
{
    public override string ToString() => Path + ": " + Message;
}
