using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using KitchenButton.Gateway.Aws;
using KitchenButton.Gateway.Callbacks;
using KitchenButton.Gateway.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Aws;

/// <summary>The callback client against the loopback endpoint's real wire format.</summary>
public sealed class StepFunctionsCallbackClientTests : IAsyncLifetime
{
    private readonly LocalAwsEndpoint _aws = new();
    private StepFunctionsCallbackClient _client = null!;

    public Task InitializeAsync()
    {
        var http = new SignedAwsHttpClient(new HttpClient(), new BasicAWSCredentials("AKIDLOCAL", "local"), StepFunctionsCallbackClient.SigningService,
            new AwsClientOptions { Endpoint = _aws.BaseUri, Region = "eu-west-1", AttemptTimeout = TimeSpan.FromSeconds(2), BackoffBase = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);
        _client = new StepFunctionsCallbackClient(http);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task A_heartbeat_keeps_the_task_waiting()
    {
        _aws.AddWaitingToken("tok-1");
        await _client.SendTaskHeartbeatAsync("tok-1", CancellationToken.None);
        Assert.Equal("waiting", _aws.StateOf("tok-1"));
        var call = Assert.Single(_aws.Callbacks);
        Assert.Equal("SendTaskHeartbeat", call.Operation);
    }

    [Theory]
    [InlineData("timed-out", "TaskTimedOut", CallbackFailureKind.DeadToken)]
    [InlineData("unknown", "TaskDoesNotExist", CallbackFailureKind.DeadToken)]
    [InlineData("bad", "InvalidToken", CallbackFailureKind.DeadToken)]
    public async Task Dead_tokens_are_classified_from_the_namespaced_error_type(string state, string code, CallbackFailureKind kind)
    {
        string token = state == "bad" ? "not!valid" : "tok-" + state;
        if (state == "timed-out")
        {
            _aws.AddWaitingToken(token);
            _aws.TimeOut(token);
        }

        var e = await Assert.ThrowsAsync<TaskCallbackException>(() => _client.SendTaskSuccessAsync(token, "{}", CancellationToken.None));
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(kind, e.Kind);
    }

    [Fact]
    public async Task Output_that_is_not_json_is_a_permanent_error()
    {
        _aws.AddWaitingToken("tok-2");
        var e = await Assert.ThrowsAsync<TaskCallbackException>(() => _client.SendTaskSuccessAsync("tok-2", "not json", CancellationToken.None));
        Assert.Equal("InvalidOutput", e.ErrorCode);
        Assert.Equal(CallbackFailureKind.Permanent, e.Kind);
    }

    [Fact]
    public async Task Throttling_throughout_is_transient_after_three_attempts()
    {
        _aws.AddWaitingToken("tok-3");
        _aws.InjectFaults(Fault.Throttle, 3);
        var e = await Assert.ThrowsAsync<TaskCallbackException>(() => _client.SendTaskFailureAsync("tok-3", "Kitchen.PrepProblem", "cause", CancellationToken.None));
        Assert.Equal(CallbackFailureKind.Transient, e.Kind);
        Assert.Equal("ThrottlingException", e.ErrorCode);
        Assert.Equal(3, _aws.Callbacks.Count);
        Assert.Equal("waiting", _aws.StateOf("tok-3"));
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_retried()
    {
        _aws.AddWaitingToken("tok-4");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.SendTaskSuccessAsync("tok-4", "{}", cancelled.Token));
        Assert.Empty(_aws.Callbacks);
    }
}
