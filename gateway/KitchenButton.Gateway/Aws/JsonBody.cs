using System;
using System.Buffers;
using System.Text.Json;

namespace KitchenButton.Gateway.Aws;

/// <summary>A JSON object written field by field: the body of an AWS request or a function's answer.</summary>
public static class JsonBody
{
    // One buffer and writer per thread, reused: a body costs only its own bytes.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static bool t_writing;

    /// <summary>{ ...fields... } as UTF-8.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        if (t_writing)
        {
            // A body written while writing another: its own buffer, so neither is overwritten.
            var own = new ArrayBufferWriter<byte>(256);
            using (var nested = new Utf8JsonWriter(own))
            {
                WriteObject(nested, fields);
            }

            return own.WrittenSpan.ToArray();
        }

        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        Utf8JsonWriter json = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        t_writing = true;
        try
        {
            WriteObject(json, fields);
            json.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            t_writing = false;
        }
    }

    private static void WriteObject(Utf8JsonWriter json, Action<Utf8JsonWriter> fields)
    {
        json.WriteStartObject();
        fields(json);
        json.WriteEndObject();
    }
}
