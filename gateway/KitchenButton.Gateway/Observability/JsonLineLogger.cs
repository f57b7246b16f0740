using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace KitchenButton.Gateway.Observability;

/// <summary>
/// An <see cref="ILogger"/> that writes each entry as one JSON object on the gateway's raw output:
/// timestamp, level, the event's fixed message, then every argument of the <c>[LoggerMessage]</c>
/// method as its own field (nulls left out), and the exception's type and message if any.
/// </summary>
internal sealed class JsonLineLogger : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly GatewayTelemetry _telemetry;

    public JsonLineLogger(GatewayTelemetry telemetry)
    {
        _telemetry = telemetry;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string message = formatter(state, exception);
        _telemetry.WriteLine(json =>
        {
            json.WriteStartObject();
            // Round-trip format ("O"), formatted on the stack.
            Span<char> timestamp = stackalloc char[40];
            _telemetry.Now().TryFormat(timestamp, out int written, "O", System.Globalization.CultureInfo.InvariantCulture);
            json.WriteString("timestamp", timestamp[..written]);
            json.WriteString("level", Level(logLevel));
            json.WriteString("message", message);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (KeyValuePair<string, object?> field in fields)
                {
                    if (field.Key != OriginalFormat)
                    {
                        WriteField(json, field.Key, field.Value);
                    }
                }
            }

            if (exception != null)
            {
                json.WriteString("exception", exception.GetType().Name + ": " + exception.Message);
            }

            json.WriteEndObject();
        });
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "critical",
    };

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                json.WriteString(name, text);
                return;
            case int i:
                json.WriteNumber(name, i);
                return;
            case long l:
                json.WriteNumber(name, l);
                return;
            case uint u:
                json.WriteNumber(name, u);
                return;
            case double d:
                json.WriteNumber(name, d);
                return;
            case bool b:
                json.WriteBoolean(name, b);
                return;
            default:
                json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
        }
    }
}
