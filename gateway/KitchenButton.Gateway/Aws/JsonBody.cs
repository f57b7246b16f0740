using System;
using System.Buffers;
using System.Text.Json;

namespace KitchenButton.Gateway.Aws;

/// <summary>A JSON object written field by field: the body of an AWS request or a function's answer.</summary>
public static class JsonBody
{
    /// <summary>{ ...fields... } as UTF-8.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
