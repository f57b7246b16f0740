using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace KitchenButton.Cli.Failures;

/// <summary>One message of a failure queue, as received: decoded by whoever reads the queue.</summary>
public sealed record QueuedFailure(string MessageId, string ReceiptHandle, string Body, DateTimeOffset SentAt);

/// <summary>
/// One of the stack's failure queues, read by name. Peeking leaves every message visible to the
/// next reader; taking hides them for a while, and only a successful replay deletes one.
/// </summary>
public sealed class FailureQueue
{
    private const int MaxPolls = 20;

    private readonly IAmazonSQS _sqs;
    private readonly string _name;
    private readonly string _environment;
    private string? _url;

    /// <param name="environment">The environment the queue belongs to, named when it is missing.</param>
    public FailureQueue(IAmazonSQS sqs, string name, string environment)
    {
        _sqs = sqs;
        _name = name;
        _environment = environment;
    }

    /// <summary>Every message, each once, hidden from other readers for <paramref name="hideFor"/> (zero: a peek).</summary>
    public async Task<IReadOnlyList<QueuedFailure>> ReceiveAsync(TimeSpan hideFor, CancellationToken cancellationToken)
    {
        string url = await UrlAsync(cancellationToken);
        var found = new List<QueuedFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

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
                    found.Add(new QueuedFailure(message.MessageId, message.ReceiptHandle, message.Body ?? string.Empty, SentAt(message)));
                }
            }

            if (fresh == 0)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Makes a taken message visible again at once (one not chosen, or one that failed again).</summary>
    public async Task ReleaseAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        await _sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
        {
            QueueUrl = await UrlAsync(cancellationToken),
            ReceiptHandle = receiptHandle,
            VisibilityTimeout = 0,
        }, cancellationToken);
    }

    public async Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = await UrlAsync(cancellationToken), ReceiptHandle = receiptHandle }, cancellationToken);
    }

    private async Task<string> UrlAsync(CancellationToken cancellationToken)
    {
        if (_url != null)
        {
            return _url;
        }

        try
        {
            return _url = (await _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = _name }, cancellationToken)).QueueUrl;
        }
        catch (QueueDoesNotExistException)
        {
            throw OperatorException.Failed("there is no queue '" + _name + "': is the stack of environment '" + _environment + "' deployed in this region?");
        }
    }

    private static DateTimeOffset SentAt(Message message) =>
        message.Attributes != null && message.Attributes.TryGetValue("SentTimestamp", out string? sent)
            && long.TryParse(sent, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow;
}
