using System;

namespace KitchenButton.Gateway.Aws;

/// <summary>A definitive error answer from an AWS service.</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(AwsError error, bool afterUncertainAttempt = false)
        : base(error.Code + ": " + error.Message)
    {
        Error = error;
        AfterUncertainAttempt = afterUncertainAttempt;
    }

    public AwsError Error { get; }

    /// <summary>
    /// True when an earlier attempt of the same call ended in a timeout or a 5xx, so the service may
    /// have applied the call before this answer.
    /// </summary>
    public bool AfterUncertainAttempt { get; }
}
