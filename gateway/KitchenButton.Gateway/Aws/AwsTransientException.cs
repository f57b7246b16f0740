using System;

namespace KitchenButton.Gateway.Aws;

/// <summary>Every attempt failed with a transient error (throttling, 5xx, network, timeout).</summary>
public sealed class AwsTransientException : Exception
{
    public AwsTransientException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }
}
