using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using KitchenButton.Gateway.Storage;

namespace KitchenButton.Cli.Orders;

/// <summary>One order's ticket at a station.</summary>
public sealed record TicketView(string StationId, string OrderId, string Summary, DateTimeOffset? Since, DateTimeOffset ExpiresAt, bool Claimed);

/// <summary>The orders waiting at stations, read from the pending-tasks table (expired tickets left out).</summary>
public sealed class TicketList
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public TicketList(IAmazonDynamoDB dynamo, GatewayTables tables)
    {
        _dynamo = dynamo;
        _table = tables.Tickets;
    }

    public async Task<IReadOnlyList<TicketView>> ListAsync(string? stationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var orders = new List<TicketView>();
        Dictionary<string, AttributeValue>? start = null;
        var names = new Dictionary<string, string> { ["#e"] = Attributes.ExpiresAt };
        var values = new Dictionary<string, AttributeValue> { [":now"] = new AttributeValue { N = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) } };
        if (stationId != null)
        {
            names["#s"] = Attributes.StationId;
            values[":s"] = new AttributeValue { S = stationId };
        }

        do
        {
            List<Dictionary<string, AttributeValue>> items;
            if (stationId == null)
            {
                ScanResponse page = await _dynamo.ScanAsync(new ScanRequest
                {
                    TableName = _table,
                    FilterExpression = "#e > :now",
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                    ExclusiveStartKey = start,
                }, cancellationToken);
                (items, start) = (page.Items, page.LastEvaluatedKey);
            }
            else
            {
                QueryResponse page = await _dynamo.QueryAsync(new QueryRequest
                {
                    TableName = _table,
                    KeyConditionExpression = "#s = :s",
                    FilterExpression = "#e > :now",
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                    ExclusiveStartKey = start,
                }, cancellationToken);
                (items, start) = (page.Items, page.LastEvaluatedKey);
            }

            foreach (Dictionary<string, AttributeValue> item in items ?? new List<Dictionary<string, AttributeValue>>())
            {
                orders.Add(ToOrder(item, now));
            }
        }
        while (start is { Count: > 0 });
        orders.Sort((a, b) => a.StationId == b.StationId ? Nullable.Compare(a.Since, b.Since) : string.CompareOrdinal(a.StationId, b.StationId));
        return orders;
    }

    private static TicketView ToOrder(Dictionary<string, AttributeValue> item, DateTimeOffset now)
    {
        long? Number(string name) => item.TryGetValue(name, out AttributeValue? v) && long.TryParse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;
        string Text(string name) => item.TryGetValue(name, out AttributeValue? v) && v.S != null ? v.S : string.Empty;
        DateTimeOffset? since = item.TryGetValue(Attributes.EnqueuedAt, out AttributeValue? at) && DateTimeOffset.TryParse(at.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
            ? parsed
            : Number(Attributes.EnqueuedAt) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new TicketView(
            Text(Attributes.StationId),
            Text(Attributes.OrderId),
            Text(Attributes.Summary),
            since,
            DateTimeOffset.FromUnixTimeSeconds(Number(Attributes.ExpiresAt) ?? 0),
            Number(Attributes.ClaimUntil) is long until && until >= now.ToUnixTimeMilliseconds());
    }
}
