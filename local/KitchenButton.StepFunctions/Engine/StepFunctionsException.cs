using System;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>A request the service refuses, with Step Functions' error code for it (StateMachineDoesNotExist, InvalidDefinition, TaskTimedOut, ...).</summary>
public sealed class StepFunctionsException : Exception
{
    public StepFunctionsException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string Code { get; }
}
