namespace KitchenButton.Device.Protocol
{
    /// <summary>The AWS IoT thing name rule the protocol allows: [A-Za-z0-9_-]{1,64}.</summary>
    public static class ThingName
    {
        public const int MaxLength = 64;

        public static bool IsValid(string? name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxLength)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
