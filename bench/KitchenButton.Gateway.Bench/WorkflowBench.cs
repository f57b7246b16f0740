using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Integrations;
using KitchenButton.StepFunctions.Jsonata;

/// <summary>
/// Figures for the local Step Functions: the cost of one state (a Pass state whose Output is a small
/// JSONata expression) and the order workflow's executions per second on dynalite, answered by
/// SendTaskSuccess as the gateway would.
/// </summary>
internal static class WorkflowBench
{
    public static async Task RunAsync(int orders)
    {
        Console.WriteLine($"workflow bench: {Environment.ProcessorCount} cores");
        await PerStateAsync();
        await OrderWorkflowAsync(orders);
    }

    private static async Task PerStateAsync()
    {
        const int States = 50;
        const int Runs = 40;
        using var jsonata = new JsonataEngine(LocalOrderWorkflow.JsonataBundle);
        var service = new LocalStepFunctions(jsonata, Array.Empty<ITaskIntegration>(), TimeProvider.System);
        string states = string.Join(",", Enumerable.Range(0, States).Select(i =>
            "\"S" + i + "\":{\"Type\":\"Pass\",\"Output\":\"{% {'n': $states.input.n + 1, 'orderId': $states.input.orderId} %}\"," + (i == States - 1 ? "\"End\":true" : "\"Next\":\"S" + (i + 1) + "\"") + "}"));
        StateMachine machine = service.CreateStateMachine("chain", "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"S0\",\"States\":{" + states + "}}", "arn:aws:iam::123456789012:role/bench");

        await service.StartExecution(machine.Arn, "warm", "{\"n\":0,\"orderId\":\"w\"}").Ended;
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < Runs; r++)
        {
            Execution run = service.StartExecution(machine.Arn, "r" + r, "{\"n\":0,\"orderId\":\"o-" + r + "\"}");
            await run.Ended;
            if (run.Output != "{\"n\":" + States + ",\"orderId\":\"o-" + r + "\"}")
            {
                throw new InvalidOperationException("unexpected output " + run.Output);
            }
        }

        watch.Stop();
        double perState = watch.Elapsed.TotalMilliseconds / (Runs * States);
        double cpuPerState = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (Runs * States);
        Console.WriteLine($"  per state (Pass + one JSONata Output, {Runs} runs of {States}): {perState:F3} ms wall, {cpuPerState:F3} ms CPU, {1000 / perState:F0} states/s");

        // The same expression alone through the reference implementation in Jint: the share of a state that is JSONata.
        JsonataExpression expression = jsonata.Compile(" {'n': $states.input.n + 1, 'orderId': $states.input.orderId} ");
        var bindings = new System.Collections.Generic.Dictionary<string, string> { ["states"] = "{\"input\":{\"n\":1,\"orderId\":\"o-1\"},\"context\":{}}" };
        const int Evaluations = 2000;
        watch.Restart();
        for (int i = 0; i < Evaluations; i++)
        {
            jsonata.Evaluate(expression, null, bindings);
        }

        Console.WriteLine($"  of which one JSONata evaluation in Jint: {watch.Elapsed.TotalMilliseconds / Evaluations:F3} ms");
    }

    private static async Task OrderWorkflowAsync(int orders)
    {
        await using DynaliteProcess dynalite = await DynaliteProcess.StartAsync();
        await using LocalGateway gw = await LocalGateway.CreateAsync(dynalite, tablePrefix: "kitchenbutton-bench-");
        await gw.PairAsync("bench-1", "pizza", new byte[32]);
        using LocalOrderWorkflow workflow = LocalOrderWorkflow.Create(gw.Tables, "bench", gw.DynamoEndpoint, TimeProvider.System);

        await RunOrdersAsync(workflow, 20, "warm");
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        int states = await RunOrdersAsync(workflow, orders, "o");
        watch.Stop();
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine($"  order workflow, {orders} orders started at once, each answered by SendTaskSuccess once parked: {orders / watch.Elapsed.TotalSeconds:F1} executions/s, "
            + $"{states / (double)orders:F0} states per execution, {cpuMs / orders:F1} ms CPU per execution (engine and its DynamoDB calls; dynalite apart)");
    }

    /// <summary>Starts the orders at once, answers each kitchen wait as soon as it is parked, and waits for them all; returns the states entered.</summary>
    private static async Task<int> RunOrdersAsync(LocalOrderWorkflow workflow, int orders, string prefix)
    {
        Execution[] runs = Enumerable.Range(0, orders)
            .Select(i => workflow.StartOrder(prefix + "-" + i, "{\"orderId\":\"" + prefix + "-" + i + "\",\"station\":\"pizza\",\"items\":[{\"name\":\"margherita\",\"qty\":1}]}"))
            .ToArray();
        await Task.WhenAll(runs.Select(async run =>
        {
            if (!await LocalOrderWorkflow.WaitUntilParkedAsync(run, 1, TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException(run.Name + " did not park: " + run.Status + " " + run.Cause);
            }

            ExecutionEvent scheduled = run.History.Events.Last(e => e.Type == "TaskScheduled");
            using JsonDocument parameters = JsonDocument.Parse(scheduled.Detail("parameters")!);
            string token = parameters.RootElement.GetProperty("Item").GetProperty("taskToken").GetProperty("S").GetString()!;
            workflow.Service.SendTaskSuccess(token, "{\"pressedAt\":\"2026-11-30T12:00:00Z\",\"thing\":\"bench-1\"}");
            await run.Ended.WaitAsync(TimeSpan.FromSeconds(60));
            if (run.Status != ExecutionStatus.SUCCEEDED)
            {
                throw new InvalidOperationException(run.Name + " ended " + run.Status + " " + run.Cause);
            }
        }));
        return runs.Sum(r => r.History.Events.Count(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)));
    }
}
