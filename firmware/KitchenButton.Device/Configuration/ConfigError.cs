namespace KitchenButton.Device.Configuration
{
    /// <summary>One problem found in a configuration file. Messages never contain secret values.</summary>
    public sealed class ConfigError
    {
        public ConfigError(int line, string key, string message)
        {
            Line = line;
            Key = key;
            Message = message;
        }

        /// <summary>1-based line number, or 0 for a key that is missing altogether.</summary>
        public int Line { get; }

        public string Key { get; }

        public string Message { get; }

        public override string ToString()
        {
            return Line > 0 ? "line " + Line.ToString() + ": " + Message : Message;
        }
    }
}
