using System;
using System.Threading.Tasks;
using KitchenButton.Device.Status;
using KitchenButton.LocalStack;

// A lunch rush on the local stack: a real broker with client-certificate TLS, the gateway as Lambda
// runs it (the published Native AOT bootstrap against a local Runtime API), and a virtual button
// pressed by a cook. Exits 0 when every order ended as the presses said.
// "serve": keep the stack up for other tools. "--in-process": the gateway in this process, no publish.
if (args.Length > 0 && args[0] == "serve")
{
    return await LocalStackServer.ServeAsync(Console.Out);
}

bool inProcess = Array.IndexOf(args, "--in-process") >= 0;
Console.WriteLine("KitchenButton local stack: Mosquitto (TLS, client certificates), gateway, dynalite, Step Functions endpoint");
string? bootstrap = inProcess ? null : await GatewayBuild.PublishAsync(Console.Out);
await using LocalKitchen kitchen = await LocalKitchen.StartAsync(Console.Out, bootstrap);
Console.WriteLine($"broker on 127.0.0.1:{kitchen.BrokerPort}; gateway: {kitchen.FunctionHost.Description}");

PairedButton paired = await kitchen.PairAsync("pizza-oven-1", "pizza");
await using var button = kitchen.ButtonFor(paired, Console.Out);
button.Start();
await button.WaitUntilAsync(d => d.IsConnected, TimeSpan.FromSeconds(15));

string[] tokens =
{
    await kitchen.ParkOrderAsync("pizza", "ord-1001"),
    await kitchen.ParkOrderAsync("pizza", "ord-1002"),
    await kitchen.ParkOrderAsync("pizza", "ord-1003"),
};
await button.WaitUntilAsync(d => d.Status == DeviceStatus.OrdersPending, TimeSpan.FromSeconds(10));

(int HoldMs, DeviceStatus Expect)[] presses =
{
    (180, DeviceStatus.Resumed),
    (1800, DeviceStatus.ProblemSent),
    (200, DeviceStatus.Resumed),
    (150, DeviceStatus.NothingPending),
};
bool allAsExpected = true;
foreach (var (hold, expect) in presses)
{
    Console.WriteLine($"cook presses for {hold} ms");
    await button.PressAsync(hold);
    bool shown = await button.WaitUntilAsync(d => d.Status == expect, TimeSpan.FromSeconds(10));
    allAsExpected &= shown;
    await button.WaitUntilAsync(d => d.Status != expect, TimeSpan.FromSeconds(5));
}

await kitchen.SettleAsync(TimeSpan.FromSeconds(5));
string[] expected = { "success", "failure", "success" };
for (int i = 0; i < tokens.Length; i++)
{
    string? state = kitchen.Gateway.Aws.StateOf(tokens[i]);
    Console.WriteLine($"order ord-100{i + 1}: {state}");
    allAsExpected &= state == expected[i];
}

Console.WriteLine(allAsExpected ? "every order ended as the presses said" : "SOMETHING DIFFERED from what the presses said");
return allAsExpected ? 0 : 1;
