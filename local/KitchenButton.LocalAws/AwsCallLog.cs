using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace KitchenButton.LocalAws;

/// <summary>One AWS call as IAM judges it: whose key signed it, the action, and the resource's ARN.</summary>
public sealed record AwsCall(string Principal, string Action, string Resource);

/// <summary>
/// The calls the local AWS parts answered, as IAM would see them: the access key that signed each
/// (each function's bootstrap signs with a key of its own, as each Lambda function runs as its own
/// role), the action (<c>dynamodb:UpdateItem</c>) and the ARN of the resource in the local account.
/// A test reads them against the roles the CDK app synthesizes: a call the code makes that the
/// deployed role does not allow is an AccessDenied in AWS that no local run would otherwise show.
/// </summary>
public sealed class AwsCallLog
{
    /// <summary>The account and region the local parts name their resources in (as the local Step Functions does).</summary>
    public const string Account = "123456789012";

    public const string Region = "eu-west-1";

    /// <summary>
    /// The most calls kept: a stack kept up for days (serve) forgets its oldest rather than grow
    /// without end; a test's rush makes a few hundred.
    /// </summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentQueue<AwsCall> _calls = new();
    private readonly ConcurrentDictionary<string, bool> _denied = new(StringComparer.Ordinal);

    /// <summary>The calls so far (the latest <see cref="Capacity"/>), in the order they arrived.</summary>
    public IReadOnlyList<AwsCall> Calls => _calls.ToArray();

    /// <summary>Records a call signed with <paramref name="authorization"/> (a SigV4 Authorization header).</summary>
    public void Record(string? authorization, string action, string resource) =>
        Record(new AwsCall(PrincipalOf(authorization), action, resource));

    /// <summary>Records a call whose principal is known otherwise (an MQTT client's id).</summary>
    public void Record(AwsCall call)
    {
        _calls.Enqueue(call);
        if (_calls.Count > Capacity)
        {
            _calls.TryDequeue(out _);
        }
    }

    /// <summary>
    /// From now on <paramref name="action"/> is refused to every caller, as IAM refuses an action no
    /// policy of the caller grants: the parts an operator's calls reach (the DynamoDB proxy, and the
    /// AWS endpoint's IoT registry, SQS, Lambda and Step Functions) answer it with their service's
    /// AccessDenied instead of carrying it out.
    /// </summary>
    public void Deny(string action) => _denied[action] = true;

    /// <summary>The grant of <paramref name="action"/> is back: <see cref="Deny"/> undone.</summary>
    public void Allow(string action) => _denied.TryRemove(action, out _);

    /// <summary>Whether <see cref="Deny"/> refused <paramref name="action"/>.</summary>
    public bool IsDenied(string action) => _denied.ContainsKey(action);

    /// <summary>IAM's own wording for a refused call, as every service passes it on.</summary>
    public static string AccessDeniedMessage(string? authorization, string action, string resource) =>
        "User: arn:aws:iam::" + Account + ":user/" + PrincipalOf(authorization) + " is not authorized to perform: " + action
        + " on resource: " + resource + " because no identity-based policy allows the " + action + " action";

    /// <summary>The ARN of a resource of <paramref name="service"/> in the local account and region.</summary>
    public static string Arn(string service, string resource) => "arn:aws:" + service + ":" + Region + ":" + Account + ":" + resource;

    /// <summary>The access key id in a SigV4 header's credential scope ("Credential=AKID/date/…"); "unsigned" without one.</summary>
    public static string PrincipalOf(string? authorization)
    {
        const string Credential = "Credential=";
        int start = authorization?.IndexOf(Credential, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return "unsigned";
        }

        start += Credential.Length;
        int end = authorization!.IndexOf('/', start);
        return end > start ? authorization[start..end] : "unsigned";
    }
}
