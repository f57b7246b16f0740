using System.Collections.Generic;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// The metrics of one invocation, gathered so they leave as one Embedded Metric Format document (as
/// Powertools' metrics utility does): CloudWatch bills and parses per log event, and one document per
/// invocation keeps a press to a single line. Values of a metric emitted more than once are kept
/// in order (EMF takes an array). A metric emitted with a dimension value goes into a group of its
/// own, because one EMF document has one value per dimension.
/// </summary>
internal sealed class MetricsBatch
{
    private readonly List<MetricGroup> _groups = new();
    private readonly object _lock = new();

    public IReadOnlyList<MetricGroup> Groups => _groups;

    public bool IsEmpty => _groups.Count == 0;

    public void Add(string name, double value, string unit, string? dimensionName, string? dimensionValue)
    {
        lock (_lock)
        {
            MetricGroup? group = null;
            foreach (MetricGroup g in _groups)
            {
                if (g.DimensionName == dimensionName && g.DimensionValue == dimensionValue)
                {
                    group = g;
                    break;
                }
            }

            if (group == null)
            {
                group = new MetricGroup(dimensionName, dimensionValue);
                _groups.Add(group);
            }

            group.Add(name, value, unit);
        }
    }
}

/// <summary>The metrics of a batch that share one dimension value (or none).</summary>
internal sealed class MetricGroup
{
    public MetricGroup(string? dimensionName, string? dimensionValue)
    {
        DimensionName = dimensionName;
        DimensionValue = dimensionValue;
    }

    public string? DimensionName { get; }

    public string? DimensionValue { get; }

    /// <summary>Metric names in first-emitted order, each with its unit and values.</summary>
    public List<(string Name, string Unit, List<double> Values)> Metrics { get; } = new();

    public void Add(string name, double value, string unit)
    {
        foreach (var metric in Metrics)
        {
            if (metric.Name == name)
            {
                metric.Values.Add(value);
                return;
            }
        }

        Metrics.Add((name, unit, new List<double> { value }));
    }
}
