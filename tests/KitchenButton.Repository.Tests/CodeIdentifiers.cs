using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace KitchenButton.Repository.Tests;

/// <summary>The identifiers of C# source: its words with comments, string literals and character literals left out.</summary>
internal static partial class CodeIdentifiers
{
    public static IEnumerable<string> Of(string source)
    {
        string code = NotCode().Replace(source, " ");
        foreach (Match identifier in Identifier().Matches(code))
        {
            yield return identifier.Value;
        }
    }

    // Comments, raw and verbatim and interpolated strings, plain strings, characters: what a reader
    // sees as prose or data, not as a name in the code.
    [GeneratedRegex(@"//[^\n]*|/\*[\s\S]*?\*/|""""""[\s\S]*?""""""|\$?@""(?:[^""]|"""")*""|@?\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'")]
    private static partial Regex NotCode();

    [GeneratedRegex(@"@?[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();
}
