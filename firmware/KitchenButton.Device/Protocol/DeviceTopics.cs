namespace KitchenButton.Device.Protocol
{
    /// <summary>
    /// One button's MQTT topics (docs/protocol.md, Topics): where it publishes its presses and health
    /// reports, and where its state messages come from. The stack's device policy allows a thing these
    /// and nothing else, so the firmware and the virtual button both take them from here.
    /// </summary>
    public static class DeviceTopics
    {
        public static string Press(string thing) => "dt/kitchenbutton/" + thing + "/press";

        public static string Status(string thing) => "dt/kitchenbutton/" + thing + "/status";

        public static string State(string thing) => "cmd/kitchenbutton/" + thing + "/state";
    }
}
