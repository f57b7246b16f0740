using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using KitchenButton.Simulator;

// The virtual button. With no argument it plays the embedded lunch-rush scenario; with a path it
// plays that scenario file. The secret below is a published test key, never a real device's.
const string Thing = "pizza-oven-1";
byte[] secret = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

List<ScenarioStep> steps;
try
{
    using TextReader reader = args.Length > 0
        ? new StreamReader(args[0])
        : new StreamReader(Assembly.GetExecutingAssembly().GetManifestResourceStream("Scenarios.lunch-rush.txt")!);
    steps = Scenario.Parse(reader);
}
catch (Exception e) when (e is FormatException or IOException)
{
    Console.Error.WriteLine("scenario: " + e.Message);
    return 2;
}

Console.WriteLine($"KitchenButton virtual button '{Thing}' - {(args.Length > 0 ? args[0] : "embedded lunch-rush scenario")}");
var button = new VirtualButton(Thing, secret, Console.Out);
button.Run(steps);

var d = button.Device;
var k = button.Kitchen;
Console.WriteLine();
Console.WriteLine($"boot {d.Boot}: {d.NextSeq - 1} press(es) made, {d.AcknowledgedPresses} acknowledged, {d.QueuedPresses} still queued, {d.RefusedPresses} refused");
Console.WriteLine($"kitchen: {k.Resumed} resumed, {k.ProblemsReported} problem(s) reported, {k.Rejected} rejected, {k.Duplicates} duplicate(s), {k.PendingOrders} order(s) still waiting");
return d.QueuedPresses == 0 && k.Rejected == 0 ? 0 : 1;
