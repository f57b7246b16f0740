using System;

namespace KitchenButton.Gateway.Presses;

/// <summary>
/// What the IoT topic rule hands the Lambda: the press plus what the broker knows about who sent it
/// (<c>SELECT *, topic(3) AS topicThing, clientid() AS clientId, timestamp() AS receivedAt</c>).
/// </summary>
public sealed record PressEnvelope(Press Press, string TopicThing, string ClientId, DateTimeOffset ReceivedAt);
