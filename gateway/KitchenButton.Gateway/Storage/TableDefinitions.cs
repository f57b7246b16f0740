using System.Collections.Generic;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace KitchenButton.Gateway.Storage;

/// <summary>
/// The tables as CreateTable requests: used by the local stack and the tests. The CDK stack declares
/// the same keys (its tests compare them with these).
/// </summary>
public static class TableDefinitions
{
    public static IEnumerable<CreateTableRequest> All(GatewayTables tables)
    {
        yield return Tickets(tables.Tickets);
        yield return Devices(tables.Devices);
        yield return Simple(tables.Stations, Attributes.StationId);
        yield return Simple(tables.PressLedger, Attributes.PressId);
    }

    public static CreateTableRequest Tickets(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = new List<AttributeDefinition>
        {
            new(Attributes.StationId, ScalarAttributeType.S),
            new(Attributes.QueueKey, ScalarAttributeType.S),
        },
        KeySchema = new List<KeySchemaElement>
        {
            new(Attributes.StationId, KeyType.HASH),
            new(Attributes.QueueKey, KeyType.RANGE),
        },
        StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
    };

    public static CreateTableRequest Devices(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = new List<AttributeDefinition>
        {
            new(Attributes.Thing, ScalarAttributeType.S),
            new(Attributes.StationId, ScalarAttributeType.S),
        },
        KeySchema = new List<KeySchemaElement> { new(Attributes.Thing, KeyType.HASH) },
        GlobalSecondaryIndexes = new List<GlobalSecondaryIndex>
        {
            new()
            {
                IndexName = Attributes.DevicesByStationIndex,
                KeySchema = new List<KeySchemaElement>
                {
                    new(Attributes.StationId, KeyType.HASH),
                    new(Attributes.Thing, KeyType.RANGE),
                },
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = new List<string> { Attributes.Enabled } },
            },
        },
    };

    private static CreateTableRequest Simple(string name, string key) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = new List<AttributeDefinition> { new(key, ScalarAttributeType.S) },
        KeySchema = new List<KeySchemaElement> { new(key, KeyType.HASH) },
    };
}
