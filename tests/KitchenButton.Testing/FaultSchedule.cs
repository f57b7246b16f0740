using System;
using System.Collections.Generic;
using KitchenButton.LocalAws;

namespace KitchenButton.Testing;

/// <summary>The faults the next calls to a stand-in meet, in order: what a test schedules, as it moves a fake clock.</summary>
public sealed class FaultSchedule : IFaultSource
{
    private readonly object _lock = new();
    private readonly Queue<Fault> _next = new();

    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(1.5);

    public void Add(Fault fault, int count)
    {
        lock (_lock)
        {
            for (int i = 0; i < count; i++)
            {
                _next.Enqueue(fault);
            }
        }
    }

    public Fault? Next()
    {
        lock (_lock)
        {
            return _next.Count > 0 ? _next.Dequeue() : null;
        }
    }
}

/// <summary>Scheduling faults on the loopback endpoint, from a test.</summary>
public static class EndpointFaults
{
    extension(LocalAwsEndpoint aws)
    {
        /// <summary>The next <paramref name="count"/> Step Functions answers and history reads meet <paramref name="fault"/>.</summary>
        public void InjectFaults(Fault fault, int count) => StatesSchedule(aws).Add(fault, count);

        /// <summary>The next <paramref name="count"/> IoT publishes answer 500.</summary>
        public void InjectPublishFaults(int count) => PublishSchedule(aws).Add(Fault.ServerError, count);

        /// <summary>How long a <see cref="Fault.Hang"/> holds a Step Functions call.</summary>
        public TimeSpan HangFor
        {
            get => StatesSchedule(aws).HangFor;
            set => StatesSchedule(aws).HangFor = value;
        }
    }

    private static FaultSchedule StatesSchedule(LocalAwsEndpoint aws) => Attached(aws.States.Faults, s => aws.States.Faults = s);

    private static FaultSchedule PublishSchedule(LocalAwsEndpoint aws) => Attached(aws.IotData.Faults, s => aws.IotData.Faults = s);

    /// <summary>The schedule a handler reads, attached on first use (a handler starts with none).</summary>
    private static FaultSchedule Attached(IFaultSource current, Action<FaultSchedule> attach)
    {
        if (current is FaultSchedule schedule)
        {
            return schedule;
        }

        schedule = new FaultSchedule();
        attach(schedule);
        return schedule;
    }
}
