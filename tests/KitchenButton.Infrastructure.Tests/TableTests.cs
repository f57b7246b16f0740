using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Amazon.CDK.Assertions;
using KitchenButton.Gateway.Storage;
using KitchenButton.Infrastructure.Tests.Support;
using Xunit;

namespace KitchenButton.Infrastructure.Tests;

[Collection(StackCollection.Name)]
public sealed class TableTests
{
    private readonly StackFixture _stack;

    public TableTests(StackFixture stack)
    {
        _stack = stack;
    }

    public static IEnumerable<object[]> Tables() => new[]
    {
        new object[] { "TablesPendingTasks", "pending-tasks" },
        new object[] { "TablesDevices", "devices" },
        new object[] { "TablesStations", "stations" },
        new object[] { "TablesPressLedger", "press-ledger" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_table_has_the_keys_the_gateway_uses_and_is_on_demand_with_pitr(string idPrefix, string name)
    {
        var (_, table) = _stack.Json.Single("AWS::DynamoDB::Table", idPrefix);
        var expected = TableDefinitions.All(GatewayTables.WithPrefix("kitchenbutton-dev-")).Single(t => t.TableName == "kitchenbutton-dev-" + name);

        Assert.Equal("kitchenbutton-dev-" + name, table.GetProperty("TableName").GetString());
        Assert.Equal(expected.KeySchema.Select(k => k.AttributeName + ":" + k.KeyType.Value),
            table.GetProperty("KeySchema").EnumerateArray().Select(k => k.GetProperty("AttributeName").GetString() + ":" + k.GetProperty("KeyType").GetString()));
        Assert.Equal(expected.AttributeDefinitions.Select(a => a.AttributeName + ":" + a.AttributeType.Value).OrderBy(x => x),
            table.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => a.GetProperty("AttributeName").GetString() + ":" + a.GetProperty("AttributeType").GetString()).OrderBy(x => x));
        Assert.Equal("PAY_PER_REQUEST", table.GetProperty("BillingMode").GetString());
        Assert.True(table.GetProperty("PointInTimeRecoverySpecification").GetProperty("PointInTimeRecoveryEnabled").GetBoolean());
    }

    [Fact]
    public void Pending_tasks_and_ledger_expire_by_ttl_and_only_pending_tasks_stream_keys()
    {
        _stack.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TableName"] = "kitchenbutton-dev-pending-tasks",
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "expiresAt", ["Enabled"] = true },
            ["StreamSpecification"] = new Dictionary<string, object> { ["StreamViewType"] = "KEYS_ONLY" },
        }));
        _stack.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TableName"] = "kitchenbutton-dev-press-ledger",
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "expiresAt", ["Enabled"] = true },
        }));
        var streams = _stack.Json.Resources("AWS::DynamoDB::Table").Where(t => t.Properties.TryGetProperty("StreamSpecification", out _)).ToList();
        Assert.Single(streams);
    }

    [Fact]
    public void Devices_are_indexed_by_station_with_their_enabled_flag()
    {
        var (_, devices) = _stack.Json.Single("AWS::DynamoDB::Table", "TablesDevices");
        JsonElement index = Assert.Single(devices.GetProperty("GlobalSecondaryIndexes").EnumerateArray());
        Assert.Equal("byStation", index.GetProperty("IndexName").GetString());
        Assert.Equal(new[] { "stationId", "thing" }, index.GetProperty("KeySchema").EnumerateArray().Select(k => k.GetProperty("AttributeName").GetString()));
        Assert.Equal("INCLUDE", index.GetProperty("Projection").GetProperty("ProjectionType").GetString());
        Assert.Equal(new[] { "enabled" }, index.GetProperty("Projection").GetProperty("NonKeyAttributes").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void Outside_production_tables_go_with_the_stack()
    {
        foreach (var id in _stack.Json.Resources("AWS::DynamoDB::Table").Select(t => t.Id))
        {
            Assert.Equal("Delete", _stack.Json.Resource(id).GetProperty("DeletionPolicy").GetString());
        }
    }
}
