using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Repository.Tests;

/// <summary>No product project references a test project or a test package: the product ships no testing library.</summary>
public sealed class ReferenceTests
{
    /// <summary>Packages made for tests (a test framework, a fake clock, browsers driven by tests).</summary>
    private static readonly Regex TestPackage = new(
        @"^(xunit(\..+)?|Xunit\..+|Microsoft\.NET\.Test\.Sdk|FsCheck(\..+)?|Microsoft\.Extensions\.TimeProvider\.Testing|Selenium\..+|Microsoft\.Playwright(\..+)?|coverlet\..+|Moq|NSubstitute)$",
        RegexOptions.IgnoreCase);

    [Fact]
    public void The_product_folders_hold_the_product_projects()
    {
        string[] projects = ProductProjects.All().ToArray();
        Assert.Contains(projects, p => p.EndsWith("KitchenButton.Gateway.csproj", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("KitchenButton.Local.csproj", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("KitchenButton.Firmware.nfproj", StringComparison.Ordinal));
    }

    [Fact]
    public void No_product_project_references_a_test_project_or_a_test_package()
    {
        var offences = ProductProjects.All().SelectMany(project => OffencesOf(project, File.ReadAllText(Path.Combine(RepositoryRoot.Path, project)))).ToArray();
        Assert.True(offences.Length == 0, string.Join(Environment.NewLine, offences));
    }

    [Theory]
    [InlineData("<PackageReference Include=\"Microsoft.Extensions.TimeProvider.Testing\" />")]
    [InlineData("<PackageReference Include=\"xunit\" />")]
    [InlineData("<ProjectReference Include=\"../../tests/KitchenButton.Testing/KitchenButton.Testing.csproj\" />")]
    [InlineData("<ProjectReference Include=\"..\\..\\tests\\KitchenButton.Gateway.Tests\\KitchenButton.Gateway.Tests.csproj\" />")]
    public void A_test_reference_is_found(string reference)
    {
        string project = "<Project><ItemGroup>" + reference + "</ItemGroup></Project>";
        Assert.Single(OffencesOf("local/Example/Example.csproj", project));
    }

    [Fact]
    public void A_product_reference_is_not_an_offence()
    {
        string project = "<Project><ItemGroup><PackageReference Include=\"AWSSDK.Core\" /><ProjectReference Include=\"../../gateway/KitchenButton.Gateway/KitchenButton.Gateway.csproj\" /></ItemGroup></Project>";
        Assert.Empty(OffencesOf("local/Example/Example.csproj", project));
    }

    private static string[] OffencesOf(string project, string xml)
    {
        XDocument doc = XDocument.Parse(xml);
        var packages = doc.Descendants().Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .Where(name => TestPackage.IsMatch(name))
            .Select(name => project + ": test package " + name);
        var projects = doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => ((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/'))
            .Where(path => path.Contains("/tests/", StringComparison.Ordinal) || Regex.IsMatch(Path.GetFileNameWithoutExtension(path), @"\.(Tests|Testing)$"))
            .Select(path => project + ": test project " + path);
        return packages.Concat(projects).ToArray();
    }
}
