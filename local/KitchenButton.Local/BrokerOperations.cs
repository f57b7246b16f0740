using System;
using System.Text.RegularExpressions;
using KitchenButton.LocalAws;

namespace KitchenButton.Local;

/// <summary>
/// Reads Mosquitto's log (log_type all, 2.0's wording) into the MQTT operations AWS IoT Core
/// authorizes against a device's policy, by client id: iot:Connect on client/ID, iot:Publish (and
/// iot:RetainPublish for a retained message) on topic/T, iot:Subscribe on topicfilter/F, iot:Receive
/// on topic/T for each message delivered. A publish the broker's ACL denied is still recorded: the
/// device tried it. https://docs.aws.amazon.com/iot/latest/developerguide/iot-action-resources.html
/// </summary>
public sealed partial class BrokerOperations
{
    private readonly AwsCallLog _calls;
    private string? _subscriber;

    public BrokerOperations(AwsCallLog calls)
    {
        _calls = calls;
    }

    /// <summary>Takes one log line; false when it names no operation (the broker's own news, pings, acknowledgements).</summary>
    public bool Read(string line)
    {
        // Each line starts with the broker's timestamp: "1796092558: ".
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        string text = colon < 0 ? line : line[(colon + 2)..];

        // A SUBSCRIBE names its filters on the lines that follow it, one per line, tab first.
        if (_subscriber != null && text.StartsWith('\t'))
        {
            Match filter = SubscribedFilter().Match(text);
            if (filter.Success)
            {
                Record(_subscriber, "iot:Subscribe", "topicfilter/" + filter.Groups["filter"].Value);
                return true;
            }
        }

        _subscriber = null;
        Match m = Connected().Match(text);
        if (m.Success)
        {
            Record(m.Groups["client"].Value, "iot:Connect", "client/" + m.Groups["client"].Value);
            return true;
        }

        m = Subscribing().Match(text);
        if (m.Success)
        {
            _subscriber = m.Groups["client"].Value;
            return true;
        }

        m = Publish().Match(text);
        if (!m.Success)
        {
            return false;
        }

        string client = m.Groups["client"].Value;
        string topic = "topic/" + m.Groups["topic"].Value;
        if (m.Groups["verb"].Value == "Sending")
        {
            Record(client, "iot:Receive", topic);
            return true;
        }

        Record(client, "iot:Publish", topic);
        if (m.Groups["retain"].Value == "1")
        {
            Record(client, "iot:RetainPublish", topic);
        }

        return true;
    }

    private void Record(string client, string action, string resource) =>
        _calls.Record(new AwsCall(client, action, AwsCallLog.Arn("iot", resource)));

    [GeneratedRegex(@"^New client connected from \S+ as (?<client>\S+) \(")]
    private static partial Regex Connected();

    [GeneratedRegex(@"^Received SUBSCRIBE from (?<client>\S+)$")]
    private static partial Regex Subscribing();

    [GeneratedRegex(@"^\t(?<filter>\S+) \(QoS \d\)$")]
    private static partial Regex SubscribedFilter();

    [GeneratedRegex(@"^(?<verb>Received|Denied|Sending) PUBLISH (from|to) (?<client>\S+) \(d\d, q\d, r(?<retain>\d), m\d+, '(?<topic>[^']*)', \.\.\. \(\d+ bytes\)\)$")]
    private static partial Regex Publish();
}
