using System;

namespace KitchenButton.Pairing;

/// <summary>A pairing refused for a reason the operator can act on; the message says what to do.</summary>
public sealed class PairingException : Exception
{
    public PairingException(string message)
        : base(message)
    {
    }
}
