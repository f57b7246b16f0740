namespace KitchenButton.Gateway.Observability;

/// <summary>One field of a structured log line: a string or a number.</summary>
public readonly record struct LogField(string Name, string? Text, double? Number)
{
    public static LogField Of(string name, string? text) => new(name, text, null);

    public static LogField Of(string name, double number) => new(name, null, number);
}
