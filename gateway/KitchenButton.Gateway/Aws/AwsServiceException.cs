using System;

namespace KitchenButton.Gateway.Aws;

/// <summary>A definitive error answer from an AWS service.</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(AwsError error)
        : base(error.Code + ": " + error.Message)
    {
        Error = error;
    }

    public AwsError Error { get; }
}
