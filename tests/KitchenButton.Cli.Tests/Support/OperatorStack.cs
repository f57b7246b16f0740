using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using KitchenButton.Cli.Connection;
using KitchenButton.Gateway.Naming;
using KitchenButton.Gateway.Presses;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Engine;

namespace KitchenButton.Cli.Tests.Support;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>
/// A local environment for the tool: the gateway wired as in Lambda on its own kitchenbutton-ENV-*
/// tables, the local AWS endpoint with the environment's function, state machine and queues, and
/// the endpoints file `--local` reads. <see cref="RunAsync"/> starts `kitchenbutton` as its own process.
/// </summary>
public sealed class OperatorStack : IAsyncDisposable
{
    private static int s_environments;

    private readonly string _folder;

    private readonly DynamoStreamProxy _dynamo;

    private OperatorStack(LocalGateway gateway, LocalOrderWorkflow workflow, string environment, string folder, DynamoStreamProxy dynamo)
    {
        _dynamo = dynamo;
        Workflow = workflow;
        Gateway = gateway;
        Environment = environment;
        _folder = folder;
    }

    public LocalGateway Gateway { get; }

    /// <summary>The order workflow on the local Step Functions, which `order start` starts.</summary>
    public LocalOrderWorkflow Workflow { get; }

    public string Environment { get; }

    public LocalAwsEndpoint Aws => Gateway.Aws;

    /// <summary>A folder of this test's own, for the board's files.</summary>
    public string Folder => _folder;

    public string EndpointsFile => Path.Combine(_folder, "local-stack.json");

    public static async Task<OperatorStack> StartAsync(DynaliteProcess dynalite)
    {
        string environment = "cli" + Interlocked.Increment(ref s_environments) + "x" + System.Environment.ProcessId;
        LocalGateway gateway = await LocalGateway.CreateAsync(dynalite, tablePrefix: "kitchenbutton-" + environment + "-");
        LocalOrderWorkflow workflow = LocalServices.Connect(gateway, environment);
        string folder = Path.Combine(Path.GetTempPath(), "kb-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // The tool reaches DynamoDB through the stack's proxy, which records its calls with the
        // endpoint's (no stream is read here).
        var dynamo = new DynamoStreamProxy(gateway.DynamoEndpoint, gateway.Tables.Tickets, Array.Empty<string>(), _ => Task.CompletedTask, calls: gateway.Aws.Calls);
        var stack = new OperatorStack(gateway, workflow, environment, folder, dynamo);
        new LocalEndpoints(environment, "eu-west-1", dynamo.Endpoint, gateway.Aws.BaseUri, "127.0.0.1:8883", Path.Combine(folder, "ca.pem")).Save(stack.EndpointsFile);
        return stack;
    }

    /// <summary>Runs `kitchenbutton ARGS --local` on this environment, standard input from <paramref name="input"/> (none: empty).</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public Task<CliRun> RunWithInputAsync(string? input, params string[] args) => RunProcessAsync(input, local: true, EndpointsFile, args);

    /// <summary>Runs the tool as an operator on a machine with no AWS configuration at all would.</summary>
    public static Task<CliRun> RunBareAsync(params string[] args) => RunProcessAsync(null, local: false, null, args);

    private static async Task<CliRun> RunProcessAsync(string? input, bool local, string? endpointsFile, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kitchenbutton.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (local)
        {
            start.ArgumentList.Add("--local");
        }

        foreach (string variable in new[] { "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            start.Environment.Remove(variable);
        }

        // No shared config or credentials files, no instance metadata: nothing to find credentials in.
        string home = Path.Combine(Path.GetTempPath(), "kb-cli-home-" + Guid.NewGuid().ToString("N"));
        start.Environment["HOME"] = home;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["KB_LOCAL_STACK"] = endpointsFile ?? Path.Combine(home, "none.json");

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("kitchenbutton did not start");
        if (input != null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>The event the press rule hands the press handler for <paramref name="press"/>, received now.</summary>
    public byte[] EventOf(Press press) => PressEvents.Event(press, null, null, Gateway.Now.ToUnixTimeMilliseconds());

    /// <summary>Leaves a press event in the press-failures queue, as Lambda's on-failure destination does once its retries are spent.</summary>
    public void SendFailedPress(byte[] pressEvent, Exception error) =>
        Aws.Queues.Send(new ResourceNames(Environment).PressFailuresQueue, LocalServices.FailureRecord(new ResourceNames(Environment).PressFunction, pressEvent, error, attempts: 3));

    /// <summary>Leaves a press in the rule-errors queue, as the press rule's error action does when it cannot invoke the press handler.</summary>
    public void SendRuleError(Press press, string why) =>
        Aws.Queues.Send(new ResourceNames(Environment).RuleErrorsQueue, LocalServices.RuleErrorRecord(Environment, press, why));

    /// <summary>
    /// Stops an order whose clean-up then fails every attempt: its tickets stay, and Lambda's failure
    /// record of its status-change event is left in the cleanup-failures queue. Returns that event.
    /// </summary>
    public async Task<byte[]> StopWithFailedCleanupAsync(Execution order)
    {
        Func<Execution, string, Task>? routed = Workflow.Service.ExecutionEnded;
        Workflow.Service.ExecutionEnded = null;
        try
        {
            Workflow.Service.StopExecution(order.Arn, "Order.Cancelled", "the guest left");
            await order.Ended.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            Workflow.Service.ExecutionEnded = routed;
        }

        byte[] ended = Encoding.UTF8.GetBytes(Workflow.Service.StatusChangeEvent(order));
        Aws.Queues.Send(new ResourceNames(Environment).CleanupFailuresQueue,
            LocalServices.FailureRecord(new ResourceNames(Environment).CleanupFunction, ended, new TimeoutException("Task timed out after 30.00 seconds"), attempts: 3));
        return ended;
    }

    /// <summary>Every AWS call the tool made, each once: those signed with <see cref="OperatorSession.LocalAccessKey"/>.</summary>
    public IEnumerable<AwsCall> OperatorCalls =>
        Aws.Calls.Calls.Where(c => c.Principal == OperatorSession.LocalAccessKey).Distinct();

    public async ValueTask DisposeAsync()
    {
        await _dynamo.DisposeAsync();
        await Gateway.DisposeAsync();
        Workflow.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
