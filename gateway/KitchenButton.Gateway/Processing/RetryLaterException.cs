using System;

namespace KitchenButton.Gateway.Processing;

/// <summary>
/// Thrown to fail the invocation so Lambda retries it (and, once retries are exhausted, sends it to the
/// dead-letter destination) while the press's fate is not settled. The ledger lease was ended first;
/// a claim whose answer may have landed is kept, so the retry settles that same order.
/// </summary>
public sealed class RetryLaterException : Exception
{
    public RetryLaterException(string message)
        : base(message)
    {
    }

    public RetryLaterException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
