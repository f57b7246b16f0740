using System;
using KitchenButton.Cli;

// `kitchenbutton`: the operators' tool (docs/operations.md). Exit codes: 0 ok, 1 failed, 2 usage, 3 conflict.
return await KitchenButtonCli.RunAsync(args, Console.Out, Console.Error, Console.In, interactive: !Console.IsInputRedirected);
