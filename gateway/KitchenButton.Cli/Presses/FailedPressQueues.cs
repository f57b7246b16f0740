using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SQS;
using Amazon.SQS.Model;
using KitchenButton.Cli.Connection;

namespace KitchenButton.Cli.Presses;

/// <summary>
/// The two queues failed presses land in: the press handler's on-failure destination and the press
/// rule's error queue. Listing peeks (messages stay visible to the next reader); taking hides the
/// messages for a while and only a successful replay deletes one.
/// </summary>
public sealed class FailedPressQueues
{
    private const int MaxPolls = 20;

    private readonly IAmazonSQS _sqs;
    private readonly StackNames _names;

    public FailedPressQueues(IAmazonSQS sqs, StackNames names)
    {
        _sqs = sqs;
        _names = names;
    }

    /// <summary>Every failed press in both queues, without hiding any of them from other readers.</summary>
    public Task<IReadOnlyList<FailedPress>> PeekAsync(CancellationToken cancellationToken) => ReadAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>Every failed press, hidden from other readers for <paramref name="hideFor"/> so two replays never race.</summary>
    public Task<IReadOnlyList<FailedPress>> TakeAsync(TimeSpan hideFor, CancellationToken cancellationToken) => ReadAsync(hideFor, cancellationToken);

    /// <summary>Makes a taken message visible again at once (one not chosen for replay).</summary>
    public async Task ReleaseAsync(FailedPress press, CancellationToken cancellationToken)
    {
        await _sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
        {
            QueueUrl = await UrlAsync(press.Source, cancellationToken),
            ReceiptHandle = press.ReceiptHandle,
            VisibilityTimeout = 0,
        }, cancellationToken);
    }

    public async Task DeleteAsync(FailedPress press, CancellationToken cancellationToken)
    {
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = await UrlAsync(press.Source, cancellationToken), ReceiptHandle = press.ReceiptHandle }, cancellationToken);
    }

    private async Task<IReadOnlyList<FailedPress>> ReadAsync(TimeSpan hideFor, CancellationToken cancellationToken)
    {
        var found = new List<FailedPress>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (FailureSource source in new[] { FailureSource.PressFailures, FailureSource.RuleErrors })
        {
            string url = await UrlAsync(source, cancellationToken);

            // SQS answers from a sample of its servers: poll until a receive brings nothing new.
            for (int poll = 0; poll < MaxPolls; poll++)
            {
                ReceiveMessageResponse response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = url,
                    MaxNumberOfMessages = 10,
                    VisibilityTimeout = (int)hideFor.TotalSeconds,
                    WaitTimeSeconds = 0,
                    MessageSystemAttributeNames = new List<string> { "SentTimestamp" },
                }, cancellationToken);
                int fresh = 0;
                foreach (Message message in response.Messages ?? new List<Message>())
                {
                    if (seen.Add(message.MessageId))
                    {
                        fresh++;
                        found.Add(FailedPress.Decode(source, message.MessageId, message.ReceiptHandle, message.Body ?? string.Empty, SentAt(message)));
                    }
                }

                if (fresh == 0)
                {
                    break;
                }
            }
        }

        return found;
    }

    private async Task<string> UrlAsync(FailureSource source, CancellationToken cancellationToken)
    {
        string name = source == FailureSource.PressFailures ? _names.PressFailuresQueue : _names.RuleErrorsQueue;
        try
        {
            return (await _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, cancellationToken)).QueueUrl;
        }
        catch (QueueDoesNotExistException)
        {
            throw OperatorException.Failed("there is no queue '" + name + "': is the stack of environment '" + _names.Environment + "' deployed in this region?");
        }
    }

    private static DateTimeOffset SentAt(Message message) =>
        message.Attributes != null && message.Attributes.TryGetValue("SentTimestamp", out string? sent)
            && long.TryParse(sent, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow;
}
