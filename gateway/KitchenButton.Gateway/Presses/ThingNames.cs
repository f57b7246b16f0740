using System.Text.RegularExpressions;

namespace KitchenButton.Gateway.Presses;

/// <summary>The protocol's thing-name rule, [A-Za-z0-9_-]{1,64}: safe inside topics and keys.</summary>
public static partial class ThingNames
{
    public static bool IsValid(string? name) => name != null && Pattern().IsMatch(name);

    // \z, not $: "$" also matches before a trailing line feed.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
