using System;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// An order waiting at a station, as the workflow's kitchen step wrote it. <see cref="QueueKey"/>
/// sorts in arrival order within the station. <see cref="ExecutionArn"/> is where the answer's record
/// is kept (null on tickets written before the workflow stored it); <see cref="ParkedAt"/> when the
/// ticket was parked (null on tickets written before the workflow stored it).
/// </summary>
public sealed record Ticket(string StationId, string QueueKey, string OrderId, string Summary, string TaskToken, DateTimeOffset ExpiresAt, string? ExecutionArn = null, DateTimeOffset? ParkedAt = null);
