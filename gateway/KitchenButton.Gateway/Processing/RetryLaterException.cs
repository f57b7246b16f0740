using System;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Thrown to fail the invocation so Lambda retries it (and, once retries are exhausted, sends it to the
/// dead-letter destination). The press's claim and ledger lease were released first, so the retry
/// resumes the same order.
/// </summary>
public sealed class RetryLaterException : Exception
{
    public RetryLaterException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
