using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace KitchenButton.Gateway.Naming;

/// <summary>
/// Where a running local stack (`dotnet run --project local/KitchenButton.Local -- serve`)
/// listens, read from the file it writes on start: DynamoDB (dynalite), the loopback AWS endpoint
/// (Step Functions, IoT, SQS, Lambda), the MQTT broker and its CA. The local stack writes it, the
/// operators' tool reads it: the one contract between them.
/// </summary>
public sealed record LocalEndpoints(string Environment, string Region, Uri DynamoDb, Uri Aws, string Mqtt, string CaFile)
{
    /// <summary>The file `serve` writes and `--local` reads: $KB_LOCAL_STACK, else ~/.kitchenbutton/local-stack.json.</summary>
    public static string DefaultPath =>
        System.Environment.GetEnvironmentVariable("KB_LOCAL_STACK") is { Length: > 0 } path
            ? path
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".kitchenbutton", "local-stack.json");

    /// <summary>Reads the file; <see cref="FileNotFoundException"/> when no stack runs, <see cref="InvalidDataException"/> when it is not such a file.</summary>
    public static LocalEndpoints Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no local stack is running (" + path + " is missing): start one with `dotnet run --project local/KitchenButton.Local -- serve`", path);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            return new LocalEndpoints(
                root.GetProperty("environment").GetString()!,
                root.GetProperty("region").GetString()!,
                new Uri(root.GetProperty("dynamodb").GetString()!),
                new Uri(root.GetProperty("aws").GetString()!),
                root.GetProperty("mqtt").GetString()!,
                root.GetProperty("ca").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or UriFormatException or ArgumentNullException)
        {
            throw new InvalidDataException(path + " is not a local stack's endpoints file: " + e.Message, e);
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("environment", Environment);
        json.WriteString("region", Region);
        json.WriteString("dynamodb", DynamoDb.ToString());
        json.WriteString("aws", Aws.ToString());
        json.WriteString("mqtt", Mqtt);
        json.WriteString("ca", CaFile);
        json.WriteEndObject();
    }
}
