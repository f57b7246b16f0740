using System;

namespace KitchenButton.Gateway.Lambda.Runtime;

/// <summary>One invocation as the Lambda Runtime API hands it out: its id, deadline, trace header, function and event.</summary>
public sealed record RuntimeInvocation(string RequestId, DateTimeOffset Deadline, string? TraceId, string? FunctionArn, byte[] Event);
