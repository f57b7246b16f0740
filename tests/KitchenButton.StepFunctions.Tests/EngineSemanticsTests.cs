using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.StepFunctions.Engine;
using KitchenButton.StepFunctions.Tests.Support;
using Xunit;

namespace KitchenButton.StepFunctions.Tests;

/// <summary>
/// What the engine does, held against what AWS documents; each test names the page it follows.
/// </summary>
public sealed class EngineSemanticsTests : IDisposable
{
    private const string Get = "arn:aws:states:::aws-sdk:dynamodb:getItem";
    private const string Wait = "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken";

    private readonly EngineHarness _engine = new();

    public void Dispose() => _engine.Dispose();

    private static string[] Types(Execution e) => e.History.Events.Select(x => x.Type).ToArray();

    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (Retry: IntervalSeconds, BackoffRate, MaxAttempts)
    [Fact]
    public async Task Retries_wait_IntervalSeconds_times_BackoffRate_to_the_attempt_and_stop_after_MaxAttempts()
    {
        _engine.Scripted.FailNext("getItem", "DynamoDb.ThrottlingException", "DynamoDb.ThrottlingException", "DynamoDb.ThrottlingException");
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Retry":[{"ErrorEquals":["DynamoDb.ThrottlingException"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":2}],"End":true}}""".Replace("RES", Get));

        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("DynamoDb.ThrottlingException", run.Error);
        var failed = run.History.Events.Where(e => e.Type == "TaskFailed").ToArray();
        var scheduled = run.History.Events.Where(e => e.Type == "TaskScheduled").ToArray();
        Assert.Equal(3, scheduled.Length);
        double first = (scheduled[1].Timestamp - failed[0].Timestamp).TotalSeconds;
        double second = (scheduled[2].Timestamp - failed[1].Timestamp).TotalSeconds;
        Assert.InRange(first, 2.0, 2.25);
        Assert.InRange(second, 6.0, 6.25);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (MaxDelaySeconds, JitterStrategy FULL)
    [Fact]
    public async Task MaxDelaySeconds_caps_the_backoff_and_FULL_jitter_draws_below_it()
    {
        _engine.Scripted.FailNext("getItem", "DynamoDb.ThrottlingException", "DynamoDb.ThrottlingException", "DynamoDb.ThrottlingException");
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"BackoffRate":10,"MaxDelaySeconds":30,"MaxAttempts":3,"JitterStrategy":"FULL"}],"End":true}}""".Replace("RES", Get));

        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        var failed = run.History.Events.Where(e => e.Type == "TaskFailed").ToArray();
        var scheduled = run.History.Events.Where(e => e.Type == "TaskScheduled").ToArray();
        double[] waits = Enumerable.Range(0, 3).Select(i => (scheduled[i + 1].Timestamp - failed[i].Timestamp).TotalSeconds).ToArray();
        Assert.All(waits, w => Assert.InRange(w, 0, 30.5));
        Assert.True(waits.Distinct().Count() > 1, "jitter draws differ: " + string.Join(", ", waits));
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (Catch: the first catcher that matches; errorOutput)
    [Fact]
    public async Task The_first_matching_catcher_wins_and_its_state_gets_the_error_output()
    {
        _engine.Scripted.FailNext("getItem", "DynamoDb.ConditionalCheckFailedException");
        Execution run = _engine.Run("""
            {"A":{"Type":"Task","Resource":"RES","Catch":[
                {"ErrorEquals":["Other.Error"],"Next":"Wrong"},
                {"ErrorEquals":["States.TaskFailed"],"Next":"Caught"},
                {"ErrorEquals":["States.ALL"],"Next":"Wrong"}],"End":true},
             "Wrong":{"Type":"Fail","Error":"Wrong"},
             "Caught":{"Type":"Succeed"}}
            """.Replace("RES", Get));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        using JsonDocument output = JsonDocument.Parse(run.Output!);
        Assert.Equal("DynamoDb.ConditionalCheckFailedException", output.RootElement.GetProperty("Error").GetString());
        Assert.Equal("scripted failure of getItem", output.RootElement.GetProperty("Cause").GetString());
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation (States.TaskFailed: any error but States.Timeout)
    [Fact]
    public async Task States_TaskFailed_does_not_catch_a_timeout_but_States_Timeout_does()
    {
        Execution run = _engine.Run("""
            {"A":{"Type":"Task","Resource":"RES","Arguments":{"Token":"{% $states.context.Task.Token %}"},"TimeoutSeconds":60,
                  "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Wrong"},{"ErrorEquals":["States.Timeout"],"Output":"{% $states.errorOutput %}","Next":"Caught"}],"End":true},
             "Wrong":{"Type":"Fail","Error":"Wrong"},
             "Caught":{"Type":"Succeed"}}
            """.Replace("RES", Wait));
        string token = await EngineHarness.TokenAsync(run);

        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal("States.Timeout", JsonDocument.Parse(run.Output!).RootElement.GetProperty("Error").GetString());
        ExecutionEvent timedOut = Assert.Single(run.History.Events, e => e.Type == "TaskTimedOut");
        Assert.InRange((timedOut.Timestamp - run.StartDate).TotalSeconds, 60, 61.5);

        // The token died with its task.
        StepFunctionsException late = Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess(token, "{}"));
        Assert.Equal("TaskTimedOut", late.Code);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token (heartbeats; SendTaskHeartbeat)
    [Fact]
    public async Task Heartbeats_keep_a_wait_alive_and_a_missed_one_raises_States_HeartbeatTimeout()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Arguments":{"Token":"{% $states.context.Task.Token %}"},"HeartbeatSeconds":10,"TimeoutSeconds":3600,"End":true}}""".Replace("RES", Wait));
        string token = await EngineHarness.TokenAsync(run);

        for (int i = 0; i < 5; i++)
        {
            await _engine.Clock.AdvanceUntilAsync(() => _engine.Clock.GetUtcNow() >= run.StartDate.AddSeconds(8 * (i + 1)), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            _engine.Service.SendTaskHeartbeat(token);
        }

        Assert.Equal(ExecutionStatus.RUNNING, run.Status);
        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("States.HeartbeatTimeout", run.Error);
        Assert.InRange((run.StopDate!.Value - run.StartDate).TotalSeconds, 50, 52);
    }

    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html (Errors)
    [Fact]
    public async Task Answers_meet_the_documented_errors_for_each_kind_of_token()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Arguments":{"Token":"{% $states.context.Task.Token %}"},"End":true}}""".Replace("RES", Wait));
        string token = await EngineHarness.TokenAsync(run);

        Assert.Equal("InvalidToken", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess("not-a-token", "{}")).Code);
        string forged = token[..^8] + (token[^8] == 'A' ? "B" : "A") + token[^7..];
        Assert.Equal("TaskDoesNotExist", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess(forged, "{}")).Code);
        Assert.Equal("InvalidOutput", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess(token, "{not json")).Code);

        _engine.Service.SendTaskSuccess(token, """{"pressId":"p-1"}""");
        await EngineHarness.EndedAsync(run);
        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal("""{"pressId":"p-1"}""", run.Output);
        Assert.Equal("TaskTimedOut", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskFailure(token, "X", "late")).Code);
        Assert.Equal("TaskTimedOut", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskHeartbeat(token)).Code);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html (no match and no Default: States.NoChoiceMatched)
    [Fact]
    public async Task A_choice_with_no_match_and_no_default_fails_with_States_NoChoiceMatched()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 5 %}","Next":"B"}]},"B":{"Type":"Succeed"}}""", input: """{"n":1}""");
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("States.NoChoiceMatched", run.Error);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html (States.QueryEvaluationError; EvaluationFailed)
    [Fact]
    public async Task A_failing_expression_raises_States_QueryEvaluationError_which_Catch_can_take()
    {
        Execution run = _engine.Run("""
            {"A":{"Type":"Task","Resource":"RES","Arguments":{"n":"{% $number('x') + $undefinedFunction() %}"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"}],"End":true},
             "B":{"Type":"Pass","Output":"{% $states.input %}","End":true}}
            """.Replace("RES", Get));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal("States.QueryEvaluationError", JsonDocument.Parse(run.Output!).RootElement.GetProperty("Error").GetString());
        ExecutionEvent failed = Assert.Single(run.History.Events, e => e.Type == "EvaluationFailed");
        Assert.Equal("A", failed.Detail("state"));
        Assert.Equal("Arguments.n", failed.Detail("location"));
        Assert.Empty(_engine.Scripted.Calls);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.Runtime is not retried or caught by States.ALL)
    [Fact]
    public void States_ALL_does_not_match_States_Runtime_or_DataLimitExceeded()
    {
        Assert.False(StatesError.Matches(new[] { "States.ALL" }, "States.Runtime"));
        Assert.False(StatesError.Matches(new[] { "States.ALL" }, "States.DataLimitExceeded"));
        Assert.True(StatesError.Matches(new[] { "States.ALL" }, "Kitchen.PrepProblem"));
        Assert.True(StatesError.Matches(new[] { "States.Timeout" }, "States.HeartbeatTimeout"));
        Assert.False(StatesError.Matches(new[] { "States.TaskFailed" }, "States.HeartbeatTimeout"));
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html (a failed iteration fails the Map; the others stop)
    [Fact]
    public async Task A_failing_map_iteration_fails_the_map_and_aborts_the_others_whose_tokens_die()
    {
        Execution run = _engine.Run("""
            {"A":{"Type":"Map","Items":"{% [1,2,3] %}","MaxConcurrency":0,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Park","States":{
                "Park":{"Type":"Task","Resource":"RES","Arguments":{"Token":"{% $states.context.Task.Token %}","Item":"{% $states.input %}"},"End":true}}},"End":true}}
            """.Replace("RES", Wait));
        await EngineHarness.EventAsync(run, "TaskSubmitted", 3);
        string[] tokens = run.History.Events.Where(e => e.Type == "TaskScheduled").Select(e => JsonDocument.Parse(e.Detail("parameters")!).RootElement.GetProperty("Token").GetString()!).ToArray();

        _engine.Service.SendTaskFailure(tokens[1], "Kitchen.PrepProblem", "burnt");
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.FAILED, run.Status);
        Assert.Equal("Kitchen.PrepProblem", run.Error);
        Assert.Equal(2, Types(run).Count(t => t == "MapIterationAborted"));
        Assert.Single(Types(run), t => t == "MapIterationFailed");
        Assert.Contains("MapStateFailed", Types(run));
        Assert.Equal("TaskTimedOut", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess(tokens[0], "{}")).Code);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (Assign and Output see values from before the state; inner scopes)
    [Fact]
    public async Task Output_sees_variables_from_before_the_state_assigned_and_map_iterations_keep_theirs()
    {
        Execution run = _engine.Run("""
            {"A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
             "B":{"Type":"Pass","Assign":{"x":2},"Output":{"seen":"{% $x %}"},"Next":"C"},
             "C":{"Type":"Map","Items":"{% [10,20] %}","ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{
                 "I":{"Type":"Pass","Assign":{"inner":"{% $states.input + $x %}"},"Output":"{% $states.input + $x %}","End":true}}},
                 "Output":{"before":"{% $states.input.seen %}","now":"{% $x %}","items":"{% $states.result %}","inner":"{% $exists($inner) %}"},"End":true}}
            """);
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.SUCCEEDED, run.Status);
        Assert.Equal("""{"before":1,"now":2,"items":[12,22],"inner":false}""", run.Output);
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html (results in branch order)
    [Fact]
    public async Task Parallel_branches_give_their_results_in_branch_order()
    {
        Execution run = _engine.Run("""
            {"A":{"Type":"Parallel","Arguments":{"n":3},"Branches":[
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"P"},"P":{"Type":"Pass","Output":"{% $states.input.n * 2 %}","End":true}}},
                {"StartAt":"Q","States":{"Q":{"Type":"Pass","Output":"{% $states.input.n * 3 %}","End":true}}}],"End":true}}
            """);
        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await EngineHarness.EndedAsync(run);

        Assert.Equal("[6,9]", run.Output);
        Assert.Contains("ParallelStateSucceeded", Types(run));
    }

    // https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html (TimeoutSeconds of the state machine: TIMED_OUT)
    [Fact]
    public async Task A_machine_running_past_its_TimeoutSeconds_ends_TIMED_OUT()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Wait","Seconds":600,"End":true}}""", extraTop: "\"TimeoutSeconds\":60,");
        await _engine.Clock.AdvanceUntilAsync(() => run.Status != ExecutionStatus.RUNNING, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.TIMED_OUT, run.Status);
        Assert.Equal("ExecutionTimedOut", Types(run)[^1]);
    }

    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html (ids from 1, previousEventId)
    [Fact]
    public async Task The_history_numbers_events_from_one_and_links_each_to_the_one_before_it()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Arguments":{"k":1},"Next":"B"},"B":{"Type":"Succeed"}}""".Replace("RES", Get));
        await EngineHarness.EndedAsync(run);

        Assert.Equal(new[] { "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded" }, Types(run));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), run.History.Events.Select(e => e.Id));
        Assert.All(run.History.Events.Skip(1), e => Assert.Equal(e.Id - 1, e.PreviousEventId));
        Assert.Equal("aws-sdk:dynamodb", run.History.Events[2].Detail("resourceType"));
        Assert.Equal("{\"k\":1}", run.History.Events[2].Detail("parameters"));
    }

    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
    [Fact]
    public async Task StopExecution_aborts_kills_the_waiting_token_and_ends_the_history()
    {
        Execution run = _engine.Run("""{"A":{"Type":"Task","Resource":"RES","Arguments":{"Token":"{% $states.context.Task.Token %}"},"End":true}}""".Replace("RES", Wait));
        string token = await EngineHarness.TokenAsync(run);

        _engine.Service.StopExecution(run.Arn, "Operator.Stop", "cancelled");
        await EngineHarness.EndedAsync(run);

        Assert.Equal(ExecutionStatus.ABORTED, run.Status);
        Assert.Equal("ExecutionAborted", Types(run)[^1]);
        Assert.Equal("TaskTimedOut", Assert.Throws<StepFunctionsException>(() => _engine.Service.SendTaskSuccess(token, "{}")).Code);
    }

    [Fact]
    public void A_definition_calling_a_service_without_an_integration_is_refused_at_creation_naming_it()
    {
        StepFunctionsException refused = Assert.Throws<StepFunctionsException>(() => _engine.Run("""{"A":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:cloudwatch:putMetricData.waitForTaskToken","End":true}}"""));
        Assert.Equal("InvalidDefinition", refused.Code);
        Assert.Contains("$.States.A.Resource", refused.Message);
    }
}
