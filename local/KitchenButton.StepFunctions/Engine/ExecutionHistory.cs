using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace KitchenButton.StepFunctions.Engine;

/// <summary>
/// One history event as GetExecutionHistory reports it: id, the id of the event it follows in its
/// branch, when, its type (TaskSucceeded, MapIterationStarted, ...) and its details object, whose name
/// follows from the type (taskSucceededEventDetails; stateEnteredEventDetails for every *StateEntered).
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
/// </summary>
public sealed record ExecutionEvent(long Id, long PreviousEventId, DateTimeOffset Timestamp, string Type, JsonObject? Details)
{
    public string DetailsName => Type.EndsWith("StateEntered", StringComparison.Ordinal) ? "stateEnteredEventDetails"
        : Type.EndsWith("StateExited", StringComparison.Ordinal) ? "stateExitedEventDetails"
        : char.ToLowerInvariant(Type[0]) + Type[1..] + "EventDetails";

    /// <summary>The details' text field, e.g. "output" or "error"; null when absent.</summary>
    public string? Detail(string field) => Details?[field]?.GetValue<string>();
}

/// <summary>
/// Where a run is in the history: the last event of its own branch, so a Map iteration's events
/// follow each other and not their siblings'.
/// </summary>
public sealed class HistoryTrail
{
    public HistoryTrail(long last) => Last = last;

    public long Last { get; set; }
}

/// <summary>An execution's events, oldest first, ids from 1; safe to add to from parallel branches.</summary>
public sealed class ExecutionHistory
{
    private readonly List<ExecutionEvent> _events = new();
    private readonly TimeProvider _time;

    public ExecutionHistory(TimeProvider time) => _time = time;

    private bool _closed;

    /// <summary>Adds an event; once the execution's last event is in (<paramref name="last"/>), later ones from branches still winding down are dropped, as the history ends there.</summary>
    public ExecutionEvent Add(HistoryTrail trail, string type, JsonObject? details = null, bool last = false)
    {
        lock (_events)
        {
            var e = new ExecutionEvent(_events.Count + 1, trail.Last, _time.GetUtcNow(), type, details);
            if (_closed)
            {
                return e;
            }

            _closed = last;
            _events.Add(e);
            trail.Last = e.Id;
            return e;
        }
    }

    public int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>The names of the states entered, in order, inner ones included: the path the execution took.</summary>
    public IReadOnlyList<string> StatesEntered()
    {
        var path = new List<string>();
        foreach (ExecutionEvent e in Events)
        {
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                path.Add(e.Detail("name")!);
            }
        }

        return path;
    }

    public IReadOnlyList<ExecutionEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }
}
