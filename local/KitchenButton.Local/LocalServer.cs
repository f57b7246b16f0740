using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Gateway.Naming;

namespace KitchenButton.Local;

/// <summary>
/// `serve`: keeps the local stack up until Ctrl+C or SIGTERM, prints one line per endpoint and writes
/// them to the file `kitchenbutton --local` reads (<see cref="LocalEndpoints.DefaultPath"/>), so
/// the operators' tool, an AWS SDK or a real board on this machine can use it.
/// </summary>
public static class LocalServer
{
    /// <param name="portBase">DynamoDB at it, Step Functions at +1, MQTT at +2; free ports unless given.</param>
    public static async Task<int> ServeAsync(TextWriter output, int? portBase = null)
    {
        await using LocalKitchen kitchen = await LocalKitchen.StartAsync(output, portBase: portBase);
        string folder = Path.GetDirectoryName(Path.GetFullPath(LocalEndpoints.DefaultPath))!;
        Directory.CreateDirectory(folder);
        string ca = Path.Combine(folder, "local-ca.pem");
        await File.WriteAllTextAsync(ca, kitchen.CaCertificatePem);
        var endpoints = new LocalEndpoints(LocalKitchen.Environment, "eu-west-1",
            new Uri("http://127.0.0.1:" + kitchen.DynamoPort), kitchen.Gateway.Aws.BaseUri, "127.0.0.1:" + kitchen.BrokerPort, ca);
        endpoints.Save(LocalEndpoints.DefaultPath);

        output.WriteLine("stepfunctions " + kitchen.Gateway.Aws.BaseUri.ToString().TrimEnd('/'));
        output.WriteLine("dynamodb http://127.0.0.1:" + kitchen.DynamoPort);
        output.WriteLine("mqtt 127.0.0.1:" + kitchen.BrokerPort);
        output.WriteLine("endpoints written to " + LocalEndpoints.DefaultPath + " (kitchenbutton --local reads them); Ctrl+C stops");

        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        File.Delete(LocalEndpoints.DefaultPath);
        output.WriteLine("local stack stopped");
        return 0;
    }
}
