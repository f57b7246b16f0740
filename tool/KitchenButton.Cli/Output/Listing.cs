using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace KitchenButton.Cli.Output;

/// <summary>
/// Rows of named values, printed as a table or as a JSON array of objects (numbers and booleans
/// stay typed in JSON; a missing value is null, "-" in a table).
/// </summary>
public sealed class Listing
{
    private readonly string[] _columns;
    private readonly List<JsonObject> _rows = new();

    public Listing(params string[] columns)
    {
        _columns = columns;
    }

    public int Count => _rows.Count;

    public void Add(params JsonNode?[] values)
    {
        var row = new JsonObject();
        for (int i = 0; i < _columns.Length; i++)
        {
            row[_columns[i]] = i < values.Length ? values[i] : null;
        }

        _rows.Add(row);
    }

    public void Write(OutputFormat format, IAnsiConsole console, TextWriter output)
    {
        if (format == OutputFormat.Json)
        {
            var array = new JsonArray(_rows.Select(r => (JsonNode?)r.DeepClone()).ToArray());
            output.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in _columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (JsonObject row in _rows)
        {
            table.AddRow(_columns.Select(c => Markup.Escape(Text(row[c]))).ToArray());
        }

        console.Write(table);
    }

    /// <summary>One record as "name: value" lines, or one JSON object.</summary>
    public static void WriteRecord(OutputFormat format, IAnsiConsole console, TextWriter output, IReadOnlyList<(string Name, JsonNode? Value)> fields)
    {
        if (format == OutputFormat.Json)
        {
            var record = new JsonObject();
            foreach (var (name, value) in fields)
            {
                record[name] = value;
            }

            output.WriteLine(record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(Markup.Escape(name), Markup.Escape(Text(value)));
        }

        console.Write(grid);
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "-",
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => value.ToJsonString(),
    };
}
