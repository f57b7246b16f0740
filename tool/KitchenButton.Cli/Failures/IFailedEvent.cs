namespace KitchenButton.Cli.Failures;

/// <summary>A message of a failure queue, decoded: the event to send its function again, if it holds one.</summary>
public interface IFailedEvent
{
    string MessageId { get; }

    /// <summary>The function's event; null when the message holds none it could be replayed with.</summary>
    byte[]? Event { get; }

    /// <summary>Why the message cannot be replayed; null when it can.</summary>
    string? Problem { get; }
}
