using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using KitchenButton.Device.Tests.Support;

namespace KitchenButton.Device.Tests.Vectors;

/// <summary>One case of tests/vectors/press-v1.json.</summary>
public sealed class PressVector
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("secretHex")]
    public string SecretHex { get; set; } = "";

    [JsonPropertyName("thing")]
    public string Thing { get; set; } = "";

    [JsonPropertyName("boot")]
    public uint Boot { get; set; }

    [JsonPropertyName("seq")]
    public uint Seq { get; set; }

    [JsonPropertyName("ts")]
    public long Ts { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("held")]
    public int Held { get; set; }

    [JsonPropertyName("queued")]
    public int Queued { get; set; }

    [JsonPropertyName("canonical")]
    public string Canonical { get; set; } = "";

    [JsonPropertyName("signature")]
    public string Signature { get; set; } = "";

    [JsonPropertyName("json")]
    public string Json { get; set; } = "";

    public override string ToString() => Name;
}

/// <summary>The whole vector file.</summary>
public sealed class PressVectorFile
{
    [JsonPropertyName("format")]
    public string Format { get; set; } = "";

    [JsonPropertyName("note")]
    public string Note { get; set; } = "";

    [JsonPropertyName("cases")]
    public List<PressVector> Cases { get; set; } = new();

    public static PressVectorFile Load()
    {
        return JsonSerializer.Deserialize<PressVectorFile>(File.ReadAllText(RepositoryPaths.PressVectors))
            ?? throw new InvalidDataException("empty vector file");
    }

    public static IEnumerable<object[]> CaseData()
    {
        foreach (PressVector v in Load().Cases)
        {
            yield return new object[] { v.Name };
        }
    }

    public static PressVector Case(string name)
    {
        return Load().Cases.Find(c => c.Name == name) ?? throw new KeyNotFoundException(name);
    }
}
