using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Idempotency;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Presses;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// The press ledger in DynamoDB, in the manner of Powertools' idempotency: a conditional put takes
/// ownership, an expired in-progress lease can be taken over by a retry, a completed record answers
/// every later delivery. Records expire by TTL after <see cref="Retention"/>.
/// </summary>
public sealed class DynamoPressLedger : IPressLedger
{
    /// <summary>Longer than the freshness window and Lambda's longest async retry (6 h).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const string InProgress = "IN_PROGRESS";
    private const string Completed = "COMPLETED";

    private readonly DynamoJsonClient _dynamo;
    private readonly string _table;

    public DynamoPressLedger(DynamoJsonClient dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<LedgerEntry> BeginAsync(string pressId, string thing, string fingerprint, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken, Ticket? intended = null)
    {
        DynamoAnswer? put = await _dynamo.CallConditionalAsync("PutItem", json =>
        {
            json.WriteString("TableName", _table);
            json.WriteStartObject("Item");
            json.WriteS(Attributes.PressId, pressId);
            json.WriteS(Attributes.Thing, thing);
            json.WriteS(Attributes.Fingerprint, fingerprint);
            json.WriteS(Attributes.Status, InProgress);
            json.WriteS(Attributes.Owner, owner);
            json.WriteN(Attributes.LeaseUntil, (now + lease).ToUnixTimeMilliseconds());
            json.WriteN(Attributes.ExpiresAt, (now + Retention).ToUnixTimeSeconds());
            json.WriteS(Attributes.CreatedAt, now.ToString("O", CultureInfo.InvariantCulture));
            foreach (var (name, value) in intended == null ? Array.Empty<(string, string)>() : ClaimFields(intended))
            {
                json.WriteS(name, value);
            }

            json.WriteEndObject();
            json.WriteString("ConditionExpression", "attribute_not_exists(#p)");
            json.WriteNames(("#p", Attributes.PressId));
        }, cancellationToken);
        if (put != null)
        {
            return new LedgerEntry(LedgerStatus.Acquired, null, null, null, IsNew: true);
        }

        // Seen before. Ours (a retried put that had landed), or a retry may take over an in-progress
        // record whose lease has run out; either way only for the same press.
        DynamoAnswer? takeover = await _dynamo.CallConditionalAsync("UpdateItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, pressId);
            json.WriteString("UpdateExpression", "SET #l = :lease, #o = :owner");
            json.WriteString("ConditionExpression", "#s = :inProgress AND #f = :fingerprint AND (#l < :now OR #o = :owner)");
            json.WriteNames(("#s", Attributes.Status), ("#l", Attributes.LeaseUntil), ("#o", Attributes.Owner), ("#f", Attributes.Fingerprint));
            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteN(":lease", (now + lease).ToUnixTimeMilliseconds());
            json.WriteN(":now", now.ToUnixTimeMilliseconds());
            json.WriteS(":inProgress", InProgress);
            json.WriteS(":owner", owner);
            json.WriteS(":fingerprint", fingerprint);
            json.WriteEndObject();
            json.WriteString("ReturnValues", "ALL_NEW");
        }, cancellationToken);
        if (takeover?.Item is { } taken)
        {
            return ToEntry(LedgerStatus.Acquired, taken);
        }

        // Completed, in progress under another live lease, or another press with this id.
        DynamoAnswer existing = await _dynamo.CallAsync("GetItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, pressId);
            json.WriteBoolean("ConsistentRead", true);
        }, cancellationToken);

        // Expired by TTL between the calls: the caller retries from the start.
        DynamoRecord item = existing.Item ?? throw new InvalidOperationException("ledger record of " + pressId + " vanished while being read");
        if (item.S(Attributes.Fingerprint) is string seen && seen != fingerprint)
        {
            return ToEntry(LedgerStatus.Reused, item);
        }

        return ToEntry(item.S(Attributes.Status) == Completed ? LedgerStatus.Completed : LedgerStatus.InProgress, item);
    }

    public Task RecordClaimAsync(string pressId, Ticket task, CancellationToken cancellationToken)
    {
        (string Name, string Value)[] fields = ClaimFields(task);
        return UpdateAsync(pressId, json =>
        {
            var update = new System.Text.StringBuilder("SET ");
            json.WriteStartObject("ExpressionAttributeNames");
            for (int i = 0; i < fields.Length; i++)
            {
                update.Append(i == 0 ? string.Empty : ", ").Append("#a").Append(i).Append(" = :a").Append(i);
                json.WriteString("#a" + i, fields[i].Name);
            }

            json.WriteEndObject();
            json.WriteString("UpdateExpression", update.ToString());
            json.WriteStartObject("ExpressionAttributeValues");
            for (int i = 0; i < fields.Length; i++)
            {
                json.WriteS(":a" + i, fields[i].Value);
            }

            json.WriteEndObject();
        }, cancellationToken);
    }

    public Task ClearClaimAsync(string pressId, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, json =>
        {
            json.WriteString("UpdateExpression", "REMOVE #q, #o, #t, #x");
            json.WriteNames(("#q", Attributes.ClaimedQueueKey), ("#o", Attributes.ClaimedOrderId), ("#t", Attributes.ClaimedToken), ("#x", Attributes.ClaimedExecution));
        }, cancellationToken);
    }

    public Task CompleteAsync(string pressId, PressResult result, string? orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        return UpdateAsync(pressId, json =>
        {
            json.WriteString("UpdateExpression", "SET #s = :s, #r = :r, #c = :c" + (orderId != null ? ", #o = :o" : string.Empty) + " REMOVE #l");
            if (orderId != null)
            {
                json.WriteNames(("#s", Attributes.Status), ("#r", Attributes.Result), ("#c", Attributes.CompletedAt), ("#l", Attributes.LeaseUntil), ("#o", Attributes.OrderId));
            }
            else
            {
                json.WriteNames(("#s", Attributes.Status), ("#r", Attributes.Result), ("#c", Attributes.CompletedAt), ("#l", Attributes.LeaseUntil));
            }

            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteS(":s", Completed);
            json.WriteS(":r", result.ToWire());
            json.WriteS(":c", now.ToString("O", CultureInfo.InvariantCulture));
            if (orderId != null)
            {
                json.WriteS(":o", orderId);
            }

            json.WriteEndObject();
        }, cancellationToken);
    }

    public async Task ReleaseLeaseAsync(string pressId, string owner, CancellationToken cancellationToken)
    {
        // Null when another invocation took the press over: its lease is not ours to end.
        await _dynamo.CallConditionalAsync("UpdateItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, pressId);
            json.WriteString("UpdateExpression", "SET #l = :zero");
            json.WriteString("ConditionExpression", "#o = :owner");
            json.WriteNames(("#l", Attributes.LeaseUntil), ("#o", Attributes.Owner));
            json.WriteStartObject("ExpressionAttributeValues");
            json.WriteN(":zero", 0);
            json.WriteS(":owner", owner);
            json.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>The ledger attributes that record a claimed task.</summary>
    private static (string Name, string Value)[] ClaimFields(Ticket task) => task.ExecutionArn != null
        ? new[] { (Attributes.ClaimedQueueKey, task.QueueKey), (Attributes.ClaimedOrderId, task.OrderId), (Attributes.ClaimedToken, task.TaskToken), (Attributes.ClaimedExecution, task.ExecutionArn) }
        : new[] { (Attributes.ClaimedQueueKey, task.QueueKey), (Attributes.ClaimedOrderId, task.OrderId), (Attributes.ClaimedToken, task.TaskToken) };

    private async Task UpdateAsync(string pressId, Action<Utf8JsonWriter> update, CancellationToken cancellationToken)
    {
        await _dynamo.CallAsync("UpdateItem", json =>
        {
            json.WriteString("TableName", _table);
            WriteKey(json, pressId);
            update(json);
        }, cancellationToken);
    }

    private static LedgerEntry ToEntry(LedgerStatus status, DynamoRecord item)
    {
        ClaimedTask? claim = item.S(Attributes.ClaimedQueueKey) is string queueKey && item.S(Attributes.ClaimedToken) is string token
            ? new ClaimedTask(queueKey, item.S(Attributes.ClaimedOrderId) ?? string.Empty, token, item.S(Attributes.ClaimedExecution))
            : null;
        PressResult? result = WireNames.TryParseResult(item.S(Attributes.Result), out PressResult r) ? r : null;
        return new LedgerEntry(status, result, item.S(Attributes.OrderId), claim);
    }

    private static void WriteKey(Utf8JsonWriter json, string pressId)
    {
        json.WriteStartObject("Key");
        json.WriteS(Attributes.PressId, pressId);
        json.WriteEndObject();
    }
}
