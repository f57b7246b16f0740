using System;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Gateway.Orders;
using KitchenButton.Gateway.Tests.Support;
using Xunit;

namespace KitchenButton.Gateway.Tests.Orders;

/// <summary>
/// EventBridge's execution status event, read by the order clean-up: whatever its detail or the
/// order input inside it holds, an ended execution or a reason, never an exception.
/// </summary>
public sealed class EndedExecutionTests
{
    private const string Order = "{\"orderId\":\"ord-7\",\"station\":\"pizza\",\"items\":[{\"name\":\"lemonade\",\"station\":\"drinks\"}],\"timeoutSeconds\":900}";

    private static readonly string Detail = "{\"executionArn\":\"arn:aws:states:eu-west-1:123456789012:execution:kitchenbutton-dev-orders:ord-7\",\"status\":\"ABORTED\",\"input\":"
        + JsonSerializer.Serialize(Order) + "}";

    private static EndedExecution? Parse(string detail, out string? problem) =>
        EndedExecution.Parse(Encoding.UTF8.GetBytes("{\"detail-type\":\"Step Functions Execution Status Change\",\"detail\":" + detail + "}"), out problem);

    [Fact]
    public void The_event_the_properties_start_from_parses()
    {
        EndedExecution? ended = Parse(Detail, out string? problem);
        Assert.True(ended != null, problem);
        Assert.Equal(new[] { "pizza", "drinks" }, ended.Stations);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_the_detail_changed_parses_or_gives_a_reason_never_thrown()
    {
        return Prop.ForAll(JsonMutations.Of(Detail), detail => Parse(detail, out string? problem) != null || problem != null);
    }

    [Property(MaxTest = 1000)]
    public Property Any_one_field_of_the_order_input_changed_parses_or_gives_a_reason_never_thrown()
    {
        return Prop.ForAll(JsonMutations.Of(Order), order =>
            Parse(Detail.Replace(JsonSerializer.Serialize(Order), JsonSerializer.Serialize(order), StringComparison.Ordinal), out string? problem) != null || problem != null);
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_throw(byte[] bytes)
    {
        return EndedExecution.Parse(bytes ?? Array.Empty<byte>(), out string? problem) != null || problem != null;
    }
}
