using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Threading.Tasks;
using KitchenButton.Device.Light;
using KitchenButton.Local;
using KitchenButton.StepFunctions.Engine;

// A lunch rush on the local stack: a real broker with client-certificate TLS, the gateway as Lambda
// runs it (the published Native AOT bootstrap against a local Runtime API), the project's own order
// workflow on the stack's Step Functions, and virtual buttons pressed by cooks. Exits 0 when every
// execution ended as the presses said.
var inProcessOption = new Option<bool>("--in-process") { Description = "Run the gateway in this process instead of publishing and running its Native AOT bootstrap." };
var portBaseOption = new Option<int?>("--port-base") { Description = "Listen on fixed ports: DynamoDB at N, Step Functions and the other AWS APIs at N+1, MQTT at N+2; free ports unless given." };
var root = new RootCommand("The KitchenButton local stack: plays a lunch rush through the real workflow, or serves the stack to other tools.") { inProcessOption };
root.SetAction((parsed, _) => LunchRushAsync(parsed.GetValue(inProcessOption)));
var serve = new Command("serve", "Keep the stack up until Ctrl+C or SIGTERM, printing one line per endpoint.") { portBaseOption };
serve.SetAction((parsed, _) => LocalServer.ServeAsync(Console.Out, parsed.GetValue(portBaseOption)));
root.Subcommands.Add(serve);
return await root.Parse(args).InvokeAsync();

static async Task<int> LunchRushAsync(bool inProcess)
{
    Console.WriteLine("KitchenButton local stack: Mosquitto (TLS, client certificates), gateway, dynalite, Step Functions running gateway/workflow/order-workflow.asl.json");
    string? bootstrap = inProcess ? null : await GatewayBuild.PublishAsync(Console.Out);
    await using LocalKitchen kitchen = await LocalKitchen.StartAsync(Console.Out, bootstrap);
    Console.WriteLine($"broker on 127.0.0.1:{kitchen.BrokerPort}; gateway: {kitchen.FunctionHost.Description}");

    PairedButton pizzaButton = await kitchen.PairAsync("pizza-oven-1", "pizza");
    PairedButton saladButton = await kitchen.PairAsync("salad-bar-1", "salad");
    await using var pizza = kitchen.ButtonFor(pizzaButton, Console.Out);
    await using var salad = kitchen.ButtonFor(saladButton, Console.Out);
    pizza.Start();
    salad.Start();
    await pizza.WaitUntilAsync(d => d.IsConnected, TimeSpan.FromSeconds(15));
    await salad.WaitUntilAsync(d => d.IsConnected, TimeSpan.FromSeconds(15));

    // Each order is parked before the next starts, so the queue at the pizza station is in this order.
    (string OrderId, string Order, int Stations)[] orders =
    {
    ("ord-1001", """{"orderId":"ord-1001","station":"pizza","items":[{"name":"margherita","qty":2}]}""", 1),
    ("ord-1002", """{"orderId":"ord-1002","station":"pizza","items":[{"name":"calzone","qty":1}]}""", 1),
    ("ord-1003", """{"orderId":"ord-1003","station":"pizza","items":[{"name":"diavola","qty":1},{"name":"caesar salad","qty":1,"station":"salad"}]}""", 2),
};
    var executions = new Dictionary<string, Execution>();
    bool allAsExpected = true;
    foreach (var (orderId, order, stations) in orders)
    {
        executions[orderId] = kitchen.StartOrder(orderId, order);
        bool parked = await KitchenButton.LocalAws.LocalOrderWorkflow.WaitUntilParkedAsync(executions[orderId], stations, TimeSpan.FromSeconds(15));
        allAsExpected &= parked;
        Console.WriteLine(parked ? $"order {orderId} started and waiting at {stations} station(s)" : $"order {orderId} DID NOT PARK: {executions[orderId].Status} {executions[orderId].Cause}");
    }

    await pizza.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting, TimeSpan.FromSeconds(10));
    await salad.WaitUntilAsync(d => d.Light == LightState.OrdersWaiting, TimeSpan.FromSeconds(10));

    async Task PressAsync(KitchenButton.Simulator.Mqtt.MqttButton button, string station, int holdMs, LightState expect)
    {
        Console.WriteLine($"cook at {station} presses for {holdMs} ms");
        await button.PressAsync(holdMs);
        bool shown = await button.WaitUntilAsync(d => d.Light == expect, TimeSpan.FromSeconds(10));
        allAsExpected &= shown;
        await button.WaitUntilAsync(d => d.Light != expect, TimeSpan.FromSeconds(5));
    }

    await PressAsync(pizza, "pizza", 180, LightState.Resumed);        // ord-1001 ready
    await PressAsync(pizza, "pizza", 1800, LightState.ProblemSent);   // ord-1002 has a problem
    await PressAsync(pizza, "pizza", 200, LightState.Resumed);        // ord-1003's pizza
    await PressAsync(salad, "salad", 200, LightState.Resumed);        // ord-1003's salad: the order is ready

    // An order the operator stops: the clean-up function withdraws its ticket, so the next press finds nothing.
    executions["ord-1004"] = kitchen.StartOrder("ord-1004", """{"orderId":"ord-1004","station":"pizza","items":[{"name":"marinara","qty":1}]}""");
    allAsExpected &= await KitchenButton.LocalAws.LocalOrderWorkflow.WaitUntilParkedAsync(executions["ord-1004"], 1, TimeSpan.FromSeconds(15));
    kitchen.Workflow.Service.StopExecution(executions["ord-1004"].Arn, "Order.Cancelled", "the guest left");
    Console.WriteLine("operator stops ord-1004");
    await executions["ord-1004"].Ended.WaitAsync(TimeSpan.FromSeconds(10));
    await kitchen.SettleAsync(TimeSpan.FromSeconds(5));
    await PressAsync(pizza, "pizza", 150, LightState.NothingWaiting);

    await kitchen.SettleAsync(TimeSpan.FromSeconds(5));
    (string OrderId, ExecutionStatus Status, string? Error)[] expected =
    {
    ("ord-1001", ExecutionStatus.SUCCEEDED, null),
    ("ord-1002", ExecutionStatus.FAILED, "Kitchen.PrepProblem"),
    ("ord-1003", ExecutionStatus.SUCCEEDED, null),
    ("ord-1004", ExecutionStatus.ABORTED, "Order.Cancelled"),
};
    foreach (var (orderId, status, error) in expected)
    {
        Execution execution = executions[orderId];
        await Task.WhenAny(execution.Ended, Task.Delay(TimeSpan.FromSeconds(10)));
        IEnumerable<string> path = execution.History.StatesEntered().Distinct();
        Console.WriteLine($"order {orderId}: {execution.Status}{(execution.Error is null ? string.Empty : " " + execution.Error + " (" + execution.Cause + ")")} via {string.Join(" > ", path)}");
        allAsExpected &= execution.Status == status && execution.Error == error;
    }

    int left = await kitchen.Gateway.PendingAtAsync("pizza") + await kitchen.Gateway.PendingAtAsync("salad");
    Console.WriteLine($"tickets left waiting: {left}");
    allAsExpected &= left == 0;

    Console.WriteLine(allAsExpected ? "every order ended as the presses said" : "SOMETHING DIFFERED from what the presses said");
    return allAsExpected ? 0 : 1;
}
