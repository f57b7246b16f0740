using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KitchenButton.Gateway.Orders;
using KitchenButton.StepFunctions.Definition;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;
using KitchenButton.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KitchenButton.StepFunctions.Tests.OrderWorkflow;

/// <summary>
/// The project's order workflow (gateway/workflow/order-workflow.asl.json, with the substitutions the
/// CDK app gives it) on the local engine, its services scripted, on a clock the test moves, and a
/// kitchen that answers each parked order as the test says.
/// </summary>
public sealed class OrderWorkflowHarness : IDisposable
{
    public const string StationsTable = "kb-test-stations";
    public const string TicketsTable = "kb-test-pending-tasks";
    public const string AlertTopic = "arn:aws:sns:eu-west-1:123456789012:kb-test-kitchen-alerts";
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly JsonataEngine _jsonata = new(JsonataEngineTests.Bundle);
    private readonly StateMachine _machine;

    public OrderWorkflowHarness(Dictionary<string, JsonObject>? stations = null)
    {
        Script = new KitchenScript(stations ?? DefaultStations());
        Service = new LocalStepFunctions(_jsonata, new ITaskIntegration[] { Script }, Clock);
        Dictionary<string, string> values = OrderWorkflowSubstitutions.For(StationsTable, TicketsTable, 1800, 2, "KitchenButton/test", AlertTopic);
        var problems = new List<DefinitionProblem>();
        string definition = DefinitionSubstitutions.Apply(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "gateway", "workflow", "order-workflow.asl.json")), values, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        _machine = Service.CreateStateMachine("orders", definition, "arn:aws:iam::123456789012:role/orders");
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public KitchenScript Script { get; }

    public LocalStepFunctions Service { get; }

    /// <summary>Tony's Pizza: a station with its own timeout, one with a shorter one, one with none.</summary>
    public static Dictionary<string, JsonObject> DefaultStations() => new()
    {
        ["pizza"] = Station("pizza", "Pizza", "900"),
        ["salad"] = Station("salad", "Salad", "600"),
        ["drinks"] = Station("drinks", "Drinks", null),
    };

    public static JsonObject Station(string id, string? name, string? timeoutSeconds)
    {
        var item = new JsonObject { ["stationId"] = new JsonObject { ["S"] = id } };
        if (name != null)
        {
            item["name"] = new JsonObject { ["S"] = name };
        }

        if (timeoutSeconds != null)
        {
            item["timeoutSeconds"] = new JsonObject { ["N"] = timeoutSeconds };
        }

        return item;
    }

    /// <summary>
    /// Runs one order to its end. Each parked order is answered by <paramref name="kitchen"/> (given
    /// how many times the order was parked at that station, and the kitchen step's call); one left
    /// to time out waits until nothing else moves, then the clock passes its timeout.
    /// </summary>
    public async Task<Execution> RunAsync(JsonNode order, Func<int, KitchenCall, KitchenAnswer> kitchen)
    {
        Execution run = Service.StartExecution(_machine.Arn, null, order.ToJsonString());
        var attempts = new Dictionary<string, int>();
        var waiting = new List<KitchenCall>();
        int answered = 0;
        int quiet = 0;
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!run.Ended.IsCompleted)
        {
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException("the order did not end: " + string.Join(" > ", run.History.StatesEntered()));
            }

            IReadOnlyList<KitchenCall> waits = Script.Waits;
            if (answered < waits.Count)
            {
                KitchenCall wait = waits[answered++];
                attempts[wait.Station] = attempts.GetValueOrDefault(wait.Station) + 1;
                KitchenAnswer answer = kitchen(attempts[wait.Station], wait);
                string token = wait.Arguments["Item"]!["taskToken"]!["S"]!.GetValue<string>();
                try
                {
                    if (answer.Output != null)
                    {
                        Service.SendTaskSuccess(token, answer.Output.ToJsonString());
                    }
                    else if (answer.Error != null)
                    {
                        Service.SendTaskFailure(token, answer.Error, answer.Cause);
                    }
                    else
                    {
                        waiting.Add(wait);
                    }
                }
                catch (StepFunctionsException)
                {
                    // Another station's answer already ended the order (a failed Map iteration stops
                    // the rest): this press meets a closed task, as the gateway's would (TaskTimedOut).
                }

                quiet = 0;
                continue;
            }

            await Task.Delay(5);
            if (waiting.Count > 0 && ++quiet > 10)
            {
                // Nothing else moves: the waits left unanswered reach their TimeoutSeconds.
                Clock.Advance(TimeSpan.FromSeconds(waiting.Max(TimeoutOf) + 1));
                waiting.Clear();
                quiet = 0;
            }
        }

        return run;
    }

    /// <summary>The kitchen step's TimeoutSeconds for this wait: when its ticket expires, counted from when it was parked.</summary>
    public static long TimeoutOf(KitchenCall wait) =>
        long.Parse(wait.Arguments["Item"]!["expiresAt"]!["N"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
        - DateTimeOffset.Parse(wait.Arguments["Item"]!["parkedAt"]!["S"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    public void Dispose() => _jsonata.Dispose();
}
