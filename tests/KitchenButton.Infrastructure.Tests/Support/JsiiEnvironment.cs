using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>
/// Runs before any test: jsii extracts about 66 MB and CDK writes cdk.out folders under TMPDIR on every
/// run, so the tests get a temp folder of their own, emptied at the start of the next run.
/// </summary>
internal static class JsiiEnvironment
{
    public static string TempRoot { get; private set; } = string.Empty;

    [ModuleInitializer]
    internal static void Initialize()
    {
        TempRoot = Path.Combine(Path.GetTempPath(), "kitchenbutton-cdk-tests");
        try
        {
            if (Directory.Exists(TempRoot))
            {
                Directory.Delete(TempRoot, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another run may still hold files; a fresh sub-folder below still keeps runs apart.
        }

        TempRoot = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(TempRoot);
        Environment.SetEnvironmentVariable("TMPDIR", TempRoot);
        Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(TempRoot, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // jsii's node process may still hold its files; the next run removes them.
            }
        };
    }
}
