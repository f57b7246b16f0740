using System;
using System.Collections.Generic;
using System.IO;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace KitchenButton.StepFunctions.Jsonata;

/// <summary>A JSONata expression compiled once by the reference implementation.</summary>
public sealed class JsonataExpression
{
    internal JsonataExpression(string text, JsValue compiled)
    {
        Text = text;
        Compiled = compiled;
    }

    public string Text { get; }

    internal JsValue Compiled { get; }
}

/// <summary>JSONata's own error: its code (e.g. S0201, T0410) and message, with the expression.</summary>
public sealed class JsonataException : Exception
{
    public JsonataException(string expression, string code, string message)
        : base(code + ": " + message + " in {% " + expression + " %}")
    {
        Expression = expression;
        Code = code;
    }

    public string Expression { get; }

    public string Code { get; }
}

/// <summary>
/// JSONata as Step Functions evaluates it, by the reference implementation: the jsonata package's
/// own bundle (jsonata.js) loaded once into a Jint engine, each expression compiled once and kept,
/// inputs and bindings handed over as JSON and results taken back as JSON. Not a re-implementation:
/// what the bundle answers is the answer. One evaluation at a time (Jint engines are single-threaded).
/// </summary>
public sealed class JsonataEngine : IDisposable
{
    private readonly Jint.Engine _engine;
    private readonly JsValue _compile;
    private readonly JsValue _evaluate;
    private readonly Dictionary<string, JsonataExpression> _compiled = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <param name="bundlePath">The jsonata package's jsonata.js (local/node/node_modules/jsonata/jsonata.js).</param>
    public JsonataEngine(string bundlePath)
    {
        if (!File.Exists(bundlePath))
        {
            throw new FileNotFoundException("the jsonata bundle is missing: building KitchenButton.LocalAws or npm ci --prefix local/node installs it", bundlePath);
        }

        _engine = new Jint.Engine(options => options.LimitRecursion(4096).TimeoutInterval(TimeSpan.FromSeconds(10)));

        // The bundle is UMD: with no module system it sets the global `jsonata`.
        _engine.Execute(File.ReadAllText(bundlePath));
        _engine.Execute("""
            var __kbCompile = function (text) { return jsonata(text); };
            var __kbEvaluate = function (expression, inputJson, bindingsJson) {
              var input = inputJson === null ? undefined : JSON.parse(inputJson);
              var bindings = JSON.parse(bindingsJson);
              return expression.evaluate(input, bindings).then(function (result) {
                return result === undefined ? null : JSON.stringify(result);
              });
            };
            """);
        _compile = _engine.GetValue("__kbCompile");
        _evaluate = _engine.GetValue("__kbEvaluate");
    }

    /// <summary>Compiles once; the same text later returns the same compiled expression.</summary>
    /// <exception cref="JsonataException">The expression does not parse.</exception>
    public JsonataExpression Compile(string expression)
    {
        lock (_lock)
        {
            if (_compiled.TryGetValue(expression, out JsonataExpression? known))
            {
                return known;
            }

            try
            {
                var compiled = new JsonataExpression(expression, _engine.Invoke(_compile, expression));
                _compiled[expression] = compiled;
                return compiled;
            }
            catch (JavaScriptException e)
            {
                throw Describe(expression, e);
            }
        }
    }

    /// <summary>How many distinct expressions were compiled.</summary>
    public int CompiledCount
    {
        get
        {
            lock (_lock)
            {
                return _compiled.Count;
            }
        }
    }

    /// <summary>Evaluates against <paramref name="inputJson"/> (null: no input) with variables given as JSON; the result as JSON, or null when it is undefined.</summary>
    /// <exception cref="JsonataException">A JSONata runtime error (a type error, a function that does not exist, ...).</exception>
    public string? Evaluate(JsonataExpression expression, string? inputJson, IReadOnlyDictionary<string, string> bindings)
    {
        var json = new System.Text.StringBuilder("{");
        foreach (KeyValuePair<string, string> binding in bindings)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.Append(System.Text.Json.JsonSerializer.Serialize(binding.Key)).Append(':').Append(binding.Value);
        }

        json.Append('}');
        lock (_lock)
        {
            try
            {
                JsValue result = _engine.Invoke(_evaluate, expression.Compiled, inputJson is null ? JsValue.Null : new JsString(inputJson), json.ToString()).UnwrapIfPromise();
                return result.IsNull() || result.IsUndefined() ? null : result.AsString();
            }
            catch (PromiseRejectedException e)
            {
                throw Describe(expression.Text, e.RejectedValue);
            }
            catch (JavaScriptException e)
            {
                throw Describe(expression.Text, e);
            }
        }
    }

    public void Dispose() => _engine.Dispose();

    private static JsonataException Describe(string expression, JavaScriptException e) => Describe(expression, e.Error);

    private static JsonataException Describe(string expression, JsValue error)
    {
        if (error.IsObject())
        {
            var obj = error.AsObject();
            string code = obj.Get("code") is { } c && c.IsString() ? c.AsString() : "Error";
            string message = obj.Get("message") is { } m && m.IsString() ? m.AsString() : error.ToString();
            return new JsonataException(expression, code, message);
        }

        return new JsonataException(expression, "Error", error.ToString());
    }
}
