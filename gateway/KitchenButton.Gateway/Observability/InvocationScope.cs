using System;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// One function invocation's telemetry scope (<see cref="GatewayTelemetry.BeginInvocation"/>):
/// metrics emitted inside it are written as one EMF document when it is disposed.
/// </summary>
public sealed class InvocationScope : IDisposable
{
    private readonly GatewayTelemetry _telemetry;
    private readonly MetricsBatch? _previous;
    private bool _disposed;

    internal InvocationScope(GatewayTelemetry telemetry, MetricsBatch batch, MetricsBatch? previous)
    {
        _telemetry = telemetry;
        Batch = batch;
        _previous = previous;
    }

    internal MetricsBatch Batch { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _telemetry.EndInvocation(this, _previous);
    }
}
