using System.Collections.Generic;
using System.IO;
using KitchenButton.LocalAws;
using KitchenButton.StepFunctions.Jsonata;
using Xunit;

namespace KitchenButton.StepFunctions.Tests;

/// <summary>
/// JSONata through the reference implementation in Jint, as Step Functions uses it in JSONata mode
/// (docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): $states and workflow
/// variables as bindings, an undefined result as no value.
/// </summary>
public sealed class JsonataEngineTests : System.IDisposable
{
    private readonly JsonataEngine _jsonata = new(Bundle);

    public static string Bundle => LocalOrderWorkflow.JsonataBundle;

    public void Dispose() => _jsonata.Dispose();

    private string? Evaluate(string expression, string? input, Dictionary<string, string>? bindings = null) =>
        _jsonata.Evaluate(_jsonata.Compile(expression), input, bindings ?? new Dictionary<string, string>());

    [Fact]
    public void States_input_and_variables_are_bound_as_Step_Functions_binds_them()
    {
        var bindings = new Dictionary<string, string>
        {
            ["states"] = """{"input":{"orderId":"ord-1","items":[{"name":"margherita","qty":2},{"name":"salad","qty":1}]},"context":{"Execution":{"Id":"arn:x"}}}""",
            ["attempt"] = "2",
        };

        Assert.Equal("\"ord-1\"", Evaluate("$states.input.orderId", null, bindings));
        Assert.Equal("3", Evaluate("$sum($states.input.items.qty)", null, bindings));
        Assert.Equal("\"2x margherita, 1x salad\"", Evaluate("$join($states.input.items.($string(qty) & 'x ' & name), ', ')", null, bindings));
        Assert.Equal("3", Evaluate("$attempt + 1", null, bindings));
        Assert.Equal("\"arn:x\"", Evaluate("$states.context.Execution.Id", null, bindings));
    }

    [Fact]
    public void An_undefined_result_is_no_value_and_the_input_is_the_context()
    {
        Assert.Null(Evaluate("$states.input.missing", null, new Dictionary<string, string> { ["states"] = """{"input":{}}""" }));
        Assert.Equal("{\"a\":1,\"b\":[true,null]}", Evaluate("$", """{"a":1,"b":[true,null]}"""));
        Assert.Equal("true", Evaluate("$exists(a) and $type(b) = 'array'", """{"a":1,"b":[]}"""));
    }

    [Fact]
    public void Each_expression_is_compiled_once()
    {
        JsonataExpression first = _jsonata.Compile("$count(items)");
        JsonataExpression again = _jsonata.Compile("$count(items)");

        Assert.Same(first, again);
        Assert.Equal(1, _jsonata.CompiledCount);
        Assert.Equal("2", _jsonata.Evaluate(first, """{"items":[1,2]}""", new Dictionary<string, string>()));
        Assert.Equal("0", _jsonata.Evaluate(first, """{"items":[]}""", new Dictionary<string, string>()));
    }

    [Fact]
    public void Syntax_and_runtime_errors_carry_JSONatas_own_code()
    {
        JsonataException syntax = Assert.Throws<JsonataException>(() => _jsonata.Compile("$count(items"));
        Assert.StartsWith("S0", syntax.Code);

        JsonataException runtime = Assert.Throws<JsonataException>(() => Evaluate("$noSuchFunction(1)", "{}"));
        Assert.Equal("T1006", runtime.Code);

        JsonataException type = Assert.Throws<JsonataException>(() => Evaluate("'a' + 1", "{}"));
        Assert.Equal("T2001", type.Code);
    }
}
