using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using KitchenButton.Gateway.Answers;
using KitchenButton.Gateway.Aws;
using KitchenButton.LocalAws;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Gateway.Tests.Aws;

/// <summary>The callback client against the loopback endpoint's real wire format.</summary>
public sealed class StepFunctionsAnswerClientTests : IAsyncLifetime
{
    private readonly LocalAwsEndpoint _aws = new();
    private StepFunctionsAnswerClient _client = null!;

    public Task InitializeAsync()
    {
        // Four seconds an attempt: the class's first call pays for the JIT on a loaded 2-core CI machine.
        var http = new SignedAwsHttpClient(new HttpClient(), new BasicAWSCredentials("AKIDLOCAL", "local"), StepFunctionsAnswerClient.SigningService,
            new AwsClientOptions { Endpoint = _aws.BaseUri, Region = "eu-west-1", AttemptTimeout = TimeSpan.FromSeconds(4), BackoffBase = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);
        _client = new StepFunctionsAnswerClient(http);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task The_execution_history_tells_this_presss_answer_from_another_and_from_a_timeout()
    {
        // https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
        const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:orders:ord-1";
        _aws.AddWaitingToken("tok-a", Execution);
        _aws.AddWaitingToken("tok-b", Execution);
        _aws.AddWaitingToken("tok-c", Execution);
        _aws.TimeOut("tok-c");
        await _client.SendTaskSuccessAsync("tok-a", "{\"orderId\":\"ord-1\",\"pressId\":\"oven#1#1\"}", CancellationToken.None);
        await _client.SendTaskFailureAsync("tok-b", "Kitchen.PrepProblem", "Prep problem reported at station 'pizza' by button 'oven' (press oven#1#2)", CancellationToken.None);

        Assert.True(await _client.WasAnsweredByAsync(Execution, "oven#1#1", CancellationToken.None));
        Assert.True(await _client.WasAnsweredByAsync(Execution, "oven#1#2", CancellationToken.None));
        Assert.False(await _client.WasAnsweredByAsync(Execution, "oven#1#3", CancellationToken.None));
        Assert.False(await _client.WasAnsweredByAsync(Execution, "oven#1#", CancellationToken.None));
    }

    [Fact]
    public async Task A_long_history_is_read_page_by_page()
    {
        const string Execution = "arn:aws:states:eu-west-1:123456789012:execution:orders:ord-2";
        _aws.AddWaitingToken("tok-first", Execution);
        await _client.SendTaskSuccessAsync("tok-first", "{\"pressId\":\"oven#2#1\"}", CancellationToken.None);
        for (int i = 0; i < 450; i++)
        {
            _aws.AddWaitingToken("tok-" + i, Execution);
        }

        Assert.True(await _client.WasAnsweredByAsync(Execution, "oven#2#1", CancellationToken.None));
        Assert.Equal(3, _aws.Requests("POST", "/history"));
    }

    [Theory]
    [InlineData("timed-out", "TaskTimedOut", AnswerFailureKind.DeadToken)]
    [InlineData("unknown", "TaskDoesNotExist", AnswerFailureKind.DeadToken)]
    [InlineData("bad", "InvalidToken", AnswerFailureKind.DeadToken)]
    public async Task Dead_tokens_are_classified_from_the_namespaced_error_type(string state, string code, AnswerFailureKind kind)
    {
        string token = state == "bad" ? "not!valid" : "tok-" + state;
        if (state == "timed-out")
        {
            _aws.AddWaitingToken(token);
            _aws.TimeOut(token);
        }

        var e = await Assert.ThrowsAsync<TaskAnswerException>(() => _client.SendTaskSuccessAsync(token, "{}", CancellationToken.None));
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(kind, e.Kind);
    }

    [Fact]
    public async Task Output_that_is_not_json_is_a_permanent_error()
    {
        _aws.AddWaitingToken("tok-2");
        var e = await Assert.ThrowsAsync<TaskAnswerException>(() => _client.SendTaskSuccessAsync("tok-2", "not json", CancellationToken.None));
        Assert.Equal("InvalidOutput", e.ErrorCode);
        Assert.Equal(AnswerFailureKind.Permanent, e.Kind);
    }

    [Fact]
    public async Task Throttling_throughout_is_transient_after_three_attempts()
    {
        _aws.AddWaitingToken("tok-3");
        _aws.InjectFaults(Fault.Throttle, 3);
        var e = await Assert.ThrowsAsync<TaskAnswerException>(() => _client.SendTaskFailureAsync("tok-3", "Kitchen.PrepProblem", "cause", CancellationToken.None));
        Assert.Equal(AnswerFailureKind.NotDelivered, e.Kind);
        Assert.Equal("ThrottlingException", e.ErrorCode);
        Assert.Equal(3, _aws.Answers.Count);
        Assert.Equal("waiting", _aws.StateOf("tok-3"));
    }

    [Theory]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Hang)]
    public async Task A_5xx_or_a_timeout_throughout_leaves_the_outcome_unknown(Fault fault)
    {
        _aws.HangFor = TimeSpan.FromSeconds(4.5);
        _aws.AddWaitingToken("tok-5");
        _aws.InjectFaults(fault, 3);
        var e = await Assert.ThrowsAsync<TaskAnswerException>(() => _client.SendTaskSuccessAsync("tok-5", "{}", CancellationToken.None));
        Assert.Equal(AnswerFailureKind.OutcomeUnknown, e.Kind);
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_retried_and_counts_as_an_unknown_outcome()
    {
        _aws.AddWaitingToken("tok-4");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var e = await Assert.ThrowsAsync<TaskAnswerException>(() => _client.SendTaskSuccessAsync("tok-4", "{}", cancelled.Token));
        Assert.Equal(AnswerFailureKind.OutcomeUnknown, e.Kind);
        Assert.Empty(_aws.Answers);
    }
}
