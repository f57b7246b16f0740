using System.Collections;

namespace KitchenButton.Device.Configuration
{
    /// <summary>The outcome of parsing a configuration file: a config, or every error found in it.</summary>
    public sealed class DeviceConfigResult
    {
        private readonly ArrayList _errors;

        internal DeviceConfigResult(DeviceConfig? config, ArrayList errors)
        {
            Config = config;
            _errors = errors;
        }

        /// <summary>The parsed configuration, or null when there were errors.</summary>
        public DeviceConfig? Config { get; }

        public bool IsValid => Config != null;

        public int ErrorCount => _errors.Count;

        public ConfigError GetError(int index)
        {
            return (ConfigError)_errors[index]!;
        }
    }
}
