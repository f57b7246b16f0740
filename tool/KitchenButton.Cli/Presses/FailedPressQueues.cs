using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SQS;
using KitchenButton.Cli.Connection;
using KitchenButton.Cli.Failures;
using KitchenButton.Gateway.Naming;

namespace KitchenButton.Cli.Presses;

/// <summary>
/// The two queues failed presses land in: the press handler's on-failure destination and the press
/// rule's error queue, read and decoded together.
/// </summary>
public sealed class FailedPressQueues
{
    private readonly FailureQueue _pressFailures;
    private readonly FailureQueue _ruleErrors;

    public FailedPressQueues(IAmazonSQS sqs, ResourceNames names)
    {
        _pressFailures = new FailureQueue(sqs, names.PressFailuresQueue, names.Environment);
        _ruleErrors = new FailureQueue(sqs, names.RuleErrorsQueue, names.Environment);
    }

    /// <summary>Every failed press in both queues, without hiding any of them from other readers.</summary>
    public Task<IReadOnlyList<FailedPress>> PeekAsync(CancellationToken cancellationToken) => ReadAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>Every failed press, hidden from other readers for <paramref name="hideFor"/> so two replays never race.</summary>
    public Task<IReadOnlyList<FailedPress>> TakeAsync(TimeSpan hideFor, CancellationToken cancellationToken) => ReadAsync(hideFor, cancellationToken);

    /// <summary>Makes a taken message visible again at once (one not chosen for replay).</summary>
    public Task ReleaseAsync(FailedPress press, CancellationToken cancellationToken) => Queue(press.Source).ReleaseAsync(press.ReceiptHandle, cancellationToken);

    public Task DeleteAsync(FailedPress press, CancellationToken cancellationToken) => Queue(press.Source).DeleteAsync(press.ReceiptHandle, cancellationToken);

    private async Task<IReadOnlyList<FailedPress>> ReadAsync(TimeSpan hideFor, CancellationToken cancellationToken)
    {
        var found = new List<FailedPress>();
        foreach (FailureSource source in new[] { FailureSource.PressFailures, FailureSource.RuleErrors })
        {
            foreach (QueuedFailure message in await Queue(source).ReceiveAsync(hideFor, cancellationToken))
            {
                found.Add(FailedPress.Decode(source, message.MessageId, message.ReceiptHandle, message.Body, message.SentAt));
            }
        }

        return found;
    }

    private FailureQueue Queue(FailureSource source) => source == FailureSource.PressFailures ? _pressFailures : _ruleErrors;
}
