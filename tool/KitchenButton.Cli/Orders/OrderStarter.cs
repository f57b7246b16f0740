using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Aws;

namespace KitchenButton.Cli.Orders;

/// <summary>One line of an order: a dish and how many.</summary>
public sealed record OrderItem(string Name, int Quantity);

/// <summary>
/// Starts an order execution of the stack's workflow for a test (Step Functions' awsJson1.0 API:
/// ListStateMachines to find it by name, StartExecution), with the input the workflow reads:
/// orderId, station, items.
/// </summary>
public sealed class OrderStarter
{
    private const string ContentType = "application/x-amz-json-1.0";

    private readonly SignedAwsHttpClient _states;
    private readonly string _stateMachineName;

    public OrderStarter(SignedAwsHttpClient states, string stateMachineName)
    {
        _states = states;
        _stateMachineName = stateMachineName;
    }

    /// <summary>"2x margherita" or "margherita" (one).</summary>
    public static OrderItem? ParseItem(string text)
    {
        string trimmed = text.Trim();
        int x = trimmed.IndexOf('x', StringComparison.Ordinal);
        if (x > 0 && int.TryParse(trimmed[..x], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int qty) && qty > 0)
        {
            string name = trimmed[(x + 1)..].Trim();
            return name.Length == 0 ? null : new OrderItem(name, qty);
        }

        return trimmed.Length == 0 ? null : new OrderItem(trimmed, 1);
    }

    public async Task<string> StartAsync(string orderId, string stationId, IReadOnlyList<OrderItem> items, CancellationToken cancellationToken)
    {
        string stateMachineArn = await FindStateMachineAsync(cancellationToken);
        using var input = new MemoryStream();
        using (var json = new Utf8JsonWriter(input))
        {
            json.WriteStartObject();
            json.WriteString("orderId", orderId);
            json.WriteString("station", stationId);
            json.WriteStartArray("items");
            foreach (OrderItem item in items)
            {
                json.WriteStartObject();
                json.WriteString("name", item.Name);
                json.WriteNumber("qty", item.Quantity);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] request = JsonBody.Write(json =>
        {
            json.WriteString("stateMachineArn", stateMachineArn);
            json.WriteString("name", orderId);
            json.WriteString("input", System.Text.Encoding.UTF8.GetString(input.ToArray()));
        });
        byte[] answer;
        try
        {
            answer = await _states.SendAsync(HttpMethod.Post, "/", request, ContentType, "AWSStepFunctions.StartExecution", cancellationToken);
        }
        catch (AwsServiceException e) when (e.Error.Code == "ExecutionAlreadyExists")
        {
            throw OperatorException.Conflict("an execution named '" + orderId + "' already exists: give the order another --order-id");
        }

        using JsonDocument doc = JsonDocument.Parse(answer);
        return doc.RootElement.GetProperty("executionArn").GetString()!;
    }

    private async Task<string> FindStateMachineAsync(CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            string? token = next;
            byte[] answer = await _states.SendAsync(HttpMethod.Post, "/", JsonBody.Write(json =>
            {
                if (token != null)
                {
                    json.WriteString("nextToken", token);
                }
            }), ContentType, "AWSStepFunctions.ListStateMachines", cancellationToken);
            using JsonDocument doc = JsonDocument.Parse(answer);
            foreach (JsonElement machine in doc.RootElement.GetProperty("stateMachines").EnumerateArray())
            {
                if (machine.GetProperty("name").GetString() == _stateMachineName)
                {
                    return machine.GetProperty("stateMachineArn").GetString()!;
                }
            }

            next = doc.RootElement.TryGetProperty("nextToken", out JsonElement n) ? n.GetString() : null;
        }
        while (!string.IsNullOrEmpty(next));
        throw OperatorException.Failed("there is no state machine '" + _stateMachineName + "': is the stack deployed in this region?");
    }

}
