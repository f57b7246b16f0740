using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Lambda;

/// <summary>Publishes the custom-runtime bootstrap with Native AOT once, for this machine, as the local stack runs it.</summary>
public sealed class AotBootstrapFixture : IAsyncLifetime
{
    public string Binary { get; private set; } = string.Empty;

    public string PublishLog { get; private set; } = string.Empty;

    /// <summary>Why the machine cannot build it (no native linker, and no root to install one), or null.</summary>
    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        SkipReason = Prerequisites.Missing("aot");
        if (SkipReason != null)
        {
            return;
        }

        (string? binary, string log) = await LocalBootstrap.PublishSharedAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Binary = binary ?? string.Empty;
        PublishLog = log;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Publishes the bootstrap for Graviton (linux-arm64) once, as the stack deploys it: cross-linked on an x64 machine.</summary>
public sealed class Arm64BootstrapFixture : IAsyncLifetime
{
    public string Binary { get; private set; } = string.Empty;

    public string PublishLog { get; private set; } = string.Empty;

    /// <summary>Why the machine can neither cross-link nor emulate arm64 (and cannot install what does), or null.</summary>
    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        SkipReason = Prerequisites.Missing("arm64");
        if (SkipReason != null)
        {
            return;
        }

        (string? binary, string log) = await LocalBootstrap.PublishSharedAsync(LocalBootstrap.Arm64).WaitAsync(TimeSpan.FromMinutes(10));
        Binary = binary ?? string.Empty;
        PublishLog = log;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The AOT-published bootstrap, started as Lambda starts it (AWS_LAMBDA_RUNTIME_API, _HANDLER, the
/// stack's environment), answering a real press against dynalite and the loopback Step Functions
/// endpoint through the local Runtime API: built for this machine, and built for Graviton (the
/// artifact the stack deploys) and run under qemu's user-mode emulator where this machine is not arm64.
/// </summary>
[Collection(DynaliteCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class AotBootstrapTests : IClassFixture<AotBootstrapFixture>, IClassFixture<Arm64BootstrapFixture>
{
    private const ushort ElfMachineAarch64 = 183;
    private static readonly byte[] Secret = new byte[32];
    private readonly DynaliteFixture _dynalite;
    private readonly AotBootstrapFixture _bootstrap;
    private readonly Arm64BootstrapFixture _arm64;

    public AotBootstrapTests(DynaliteFixture dynalite, AotBootstrapFixture bootstrap, Arm64BootstrapFixture arm64)
    {
        _dynalite = dynalite;
        _bootstrap = bootstrap;
        _arm64 = arm64;
    }

    [SkippableFact]
    public void The_bootstrap_publishes_with_native_aot_and_no_trim_or_aot_warning()
    {
        Skip.If(_bootstrap.SkipReason != null, _bootstrap.SkipReason);
        Assert.True(File.Exists(_bootstrap.Binary), _bootstrap.PublishLog);
        Assert.DoesNotMatch(@"warning IL[23]\d{3}", _bootstrap.PublishLog);
    }

    [SkippableFact]
    public void The_graviton_bootstrap_publishes_with_no_trim_or_aot_warning_as_an_aarch64_executable()
    {
        Skip.If(_arm64.SkipReason != null, _arm64.SkipReason);
        Assert.True(File.Exists(_arm64.Binary), _arm64.PublishLog);
        Assert.DoesNotMatch(@"warning IL[23]\d{3}", _arm64.PublishLog);

        // The ELF header: the magic, then e_machine at byte 18 (little-endian).
        byte[] header = new byte[20];
        using (FileStream file = File.OpenRead(_arm64.Binary))
        {
            file.ReadExactly(header);
        }

        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, header[..4]);
        Assert.Equal(ElfMachineAarch64, BitConverter.ToUInt16(header, 18));
    }

    [SkippableFact]
    public async Task A_press_goes_through_the_aot_binary_as_lambda_runs_it()
    {
        Skip.If(_bootstrap.SkipReason != null, _bootstrap.SkipReason);
        Assert.True(File.Exists(_bootstrap.Binary), _bootstrap.PublishLog);
        await PressThroughAsync(_bootstrap.Binary, emulator: null);
    }

    [SkippableFact]
    public async Task A_press_goes_through_the_graviton_binary_as_lambda_runs_it()
    {
        Skip.If(_arm64.SkipReason != null, _arm64.SkipReason);
        Assert.True(File.Exists(_arm64.Binary), _arm64.PublishLog);

        // qemu-user (Debian: qemu-user, with libssl3:arm64 for the binary's OpenSSL) where this is not an arm64 machine.
        await PressThroughAsync(_arm64.Binary, RuntimeInformation.OSArchitecture == Architecture.Arm64 ? null : "qemu-aarch64");
    }

    /// <summary>A fault AWS produces, met by the binary mid-press.</summary>
    public enum AwsFault
    {
        /// <summary>Step Functions applies the answer, then answers 503: the retry hears TaskTimedOut and the history must settle it.</summary>
        AnswerOutcomeUnknown,

        /// <summary>Step Functions throttles the answer twice: nothing applied, retried.</summary>
        AnswerThrottled,

        /// <summary>The oldest order's task timed out in its workflow: its ticket is dropped, the next order answered.</summary>
        OldestTaskTimedOut,
    }

    [SkippableTheory]
    [InlineData(AwsFault.AnswerOutcomeUnknown)]
    [InlineData(AwsFault.AnswerThrottled)]
    [InlineData(AwsFault.OldestTaskTimedOut)]
    public async Task A_press_through_the_aot_binary_settles_once_through_the_faults_aws_produces(AwsFault fault)
    {
        // The failure paths (error answers parsed, retries, the execution history read) run compiled
        // ahead of time and trimmed, as they run in Lambda, not only as the library in-process.
        Skip.If(_bootstrap.SkipReason != null, _bootstrap.SkipReason);
        Assert.True(File.Exists(_bootstrap.Binary), _bootstrap.PublishLog);
        await PressThroughAsync(_bootstrap.Binary, emulator: null, fault);
    }

    private async Task PressThroughAsync(string binary, string? emulator, AwsFault? fault = null)
    {
        // Real time throughout: the binary's clock is the machine's.
        await using LocalGateway gw = await LocalGateway.CreateAsync(_dynalite.Dynalite);
        await gw.PairAsync("pizza-oven-1", "pizza", Secret);
        string[] tokens = { await gw.EnqueueOrderAsync("pizza", "ord-1"), await gw.EnqueueOrderAsync("pizza", "ord-2"), await gw.EnqueueOrderAsync("pizza", "ord-3") };
        int answered = fault == AwsFault.OldestTaskTimedOut ? 1 : 0;
        switch (fault)
        {
            case AwsFault.AnswerOutcomeUnknown:
                gw.Aws.InjectFaults(Fault.ApplyThenServerError, 1);
                break;
            case AwsFault.AnswerThrottled:
                gw.Aws.InjectFaults(Fault.Throttle, 2);
                break;
            case AwsFault.OldestTaskTimedOut:
                gw.Aws.TimeOut(tokens[0]);
                break;
        }

        await using var runtime = new LocalRuntimeApi();
        ProcessStartInfo start = LocalBootstrap.StartInfo(binary, gw, runtime, "KitchenButton.Gateway::KitchenButton.Gateway.Lambda.Functions::PressAsync", emulator);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        try
        {
            byte[] press = PressEvents.Event(PressEvents.Signed("pizza-oven-1", Secret, 1, 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), receivedAtMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            RuntimeOutcome outcome = await runtime.InvokeAsync(press, DateTimeOffset.UtcNow.AddSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Null(outcome.ErrorType);
            using JsonDocument doc = JsonDocument.Parse(outcome.Response!);
            Assert.Equal("resumed", doc.RootElement.GetProperty("result").GetString());
            Assert.Equal("ord-" + (answered + 1), doc.RootElement.GetProperty("orderId").GetString());
            Assert.Equal("success", gw.Aws.StateOf(tokens[answered]));
            Assert.Equal("waiting", gw.Aws.StateOf(tokens[answered + 1]));
            Assert.DoesNotContain(gw.Aws.Answers, c => c.TaskToken == tokens[answered + 1]);
            Assert.Equal(2 - answered, await gw.PendingAtAsync("pizza"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
        }

        // Its logs and its one EMF document went to the raw standard output, one JSON object a line.
        string log = await output;
        Assert.True(log.Contains("\"message\":\"press handled\"", StringComparison.Ordinal), log + await errors);
        Assert.Contains("\"_aws\":", log);
        if (fault == AwsFault.OldestTaskTimedOut)
        {
            Assert.Contains("\"error\":\"TaskTimedOut\"", log);
        }

        // Only an answer of unknown outcome is looked up in the execution's history.
        Assert.Equal(fault == AwsFault.AnswerOutcomeUnknown, gw.Aws.Requests("POST", "/history") > 0);
    }
}
