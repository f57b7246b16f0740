using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace KitchenButton.Gateway.Storage;

/// <summary>DynamoDB attribute values as the stores write them: numbers always in invariant culture.</summary>
internal static class DynamoValues
{
    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Text(string value) => new() { S = value };
}
