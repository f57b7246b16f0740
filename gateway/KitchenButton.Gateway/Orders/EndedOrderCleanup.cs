using System;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Observability;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// Withdraws the tickets of an order whose execution ended FAILED, TIMED_OUT or ABORTED: the
/// workflow's own clean-up never runs then, and a ticket left behind would inflate the station's
/// count and spend a press on a dead token until its TTL. A storage failure throws, so EventBridge
/// retries the event and finally dead-letters it.
/// </summary>
public sealed class EndedOrderCleanup
{
    private readonly DynamoExecutionTickets _tickets;
    private readonly GatewayTelemetry _telemetry;

    public EndedOrderCleanup(DynamoExecutionTickets tickets, GatewayTelemetry telemetry)
    {
        _tickets = tickets;
        _telemetry = telemetry;
    }

    /// <summary>Returns how many tickets were withdrawn; an event it cannot read is logged, counted and dropped.</summary>
    public async Task<int> HandleAsync(ReadOnlyMemory<byte> eventJson, CancellationToken cancellationToken)
    {
        EndedExecution? ended = EndedExecution.Parse(eventJson.Span, out string? problem);
        if (ended == null)
        {
            _telemetry.Metric(MetricNames.CleanupEventsUnreadable, 1, "Count");
            GatewayLog.EndedExecutionNotCleanedUp(_telemetry.Logger, problem);
            return 0;
        }

        int withdrawn = 0;
        foreach (string station in ended.Stations)
        {
            withdrawn += await _tickets.WithdrawAsync(station, ended.ExecutionArn, cancellationToken);
        }

        _telemetry.Metric(MetricNames.TicketsWithdrawn, withdrawn, "Count");
        GatewayLog.EndedExecutionCleanedUp(_telemetry.Logger, ended.ExecutionArn, ended.Status, string.Join(",", ended.Stations), withdrawn);
        return withdrawn;
    }
}
