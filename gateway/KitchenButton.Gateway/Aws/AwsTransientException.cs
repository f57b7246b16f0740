using System;

namespace KitchenButton.Gateway.Aws;

/// <summary>Every attempt failed with a transient error (throttling, 5xx, network, timeout).</summary>
public sealed class AwsTransientException : Exception
{
    public AwsTransientException(string code, string message, bool uncertain, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Uncertain = uncertain;
    }

    public string Code { get; }

    /// <summary>
    /// True when some attempt may have been applied (a timeout, a 5xx, a network failure after
    /// sending); false when every attempt was refused outright (throttling), so nothing happened.
    /// </summary>
    public bool Uncertain { get; }
}
