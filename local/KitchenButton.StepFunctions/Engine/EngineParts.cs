using System;
using System.Collections.Generic;
using KitchenButton.StepFunctions.Integrations;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>What every execution of a service shares: the clock, expressions, integrations, tokens.</summary>
internal sealed class EngineParts
{
    private readonly IReadOnlyList<ITaskIntegration> _integrations;

    public EngineParts(TimeProvider time, FieldEvaluator fields, IReadOnlyList<ITaskIntegration> integrations, TaskTokens tokens, string region, Random random)
    {
        Time = time;
        Fields = fields;
        _integrations = integrations;
        Tokens = tokens;
        Region = region;
        Random = random;
    }

    public TimeProvider Time { get; }

    public FieldEvaluator Fields { get; }

    public TaskTokens Tokens { get; }

    public string Region { get; }

    public Random Random { get; }

    public bool Integrates(TaskResource resource) => Find(resource) is not null;

    public ITaskIntegration IntegrationFor(TaskResource resource) =>
        Find(resource) ?? throw new StatesError(StatesError.Runtime, "no integration for " + resource.Service + ":" + resource.HistoryResource);

    private ITaskIntegration? Find(TaskResource resource)
    {
        foreach (ITaskIntegration integration in _integrations)
        {
            if (integration.Handles(resource))
            {
                return integration;
            }
        }

        return null;
    }
}
