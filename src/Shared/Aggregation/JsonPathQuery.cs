using System.Text.Json;

namespace Bff.Shared.Aggregation;

/// <summary>
/// The JSONPath subset used by <c>RouteKeysConfig.JsonPath</c> (Ocelot evaluates it with Newtonsoft's
/// <c>SelectTokens</c>): <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[n]</c>, <c>[*]</c>, <c>.*</c> and <c>..name</c>
/// (recursive descent). Filters, slices and unions are refused when the configuration is loaded.
/// </summary>
internal sealed class JsonPathQuery
{
    private abstract record Step;
    private sealed record Member(string Name) : Step;
    private sealed record Index(int Value) : Step;
    private sealed record Wildcard : Step;
    private sealed record Descendant(string Name) : Step;

    private readonly Step[] _steps;

    private JsonPathQuery(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static JsonPathQuery? Parse(string text, out string? error)
    {
        error = null;
        var steps = new List<Step>();
        var s = text.Trim();
        var i = 0;
        if (s.StartsWith('$')) i = 1;
        while (i < s.Length)
        {
            if (s[i] == '.' && i + 1 < s.Length && s[i + 1] == '.')
            {
                var name = ReadName(s, i + 2, out i);
                if (name.Length == 0) return Fail(text, "'..' must be followed by a member name", out error);
                steps.Add(new Descendant(name));
            }
            else if (s[i] == '.')
            {
                if (i + 1 < s.Length && s[i + 1] == '*') { steps.Add(new Wildcard()); i += 2; continue; }
                var name = ReadName(s, i + 1, out i);
                if (name.Length == 0) return Fail(text, "'.' must be followed by a member name", out error);
                steps.Add(new Member(name));
            }
            else if (s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0) return Fail(text, "'[' without ']'", out error);
                var inner = s[(i + 1)..close].Trim();
                if (inner == "*") steps.Add(new Wildcard());
                else if (int.TryParse(inner, out var n) && n >= 0) steps.Add(new Index(n));
                else if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0]) steps.Add(new Member(inner[1..^1]));
                else return Fail(text, $"'[{inner}]' is not supported (supported: $, .name, ['name'], [n], [*], .*, ..name)", out error);
                i = close + 1;
            }
            else if (steps.Count == 0 && i == 0)
            {
                // Newtonsoft also accepts a path without the leading "$" ("items[*].id").
                var name = ReadName(s, 0, out i);
                if (name.Length == 0) return Fail(text, $"unexpected '{s[0]}'", out error);
                steps.Add(new Member(name));
            }
            else return Fail(text, $"unexpected '{s[i]}' at position {i}", out error);
        }
        return new JsonPathQuery(text, [.. steps]);
    }

    private static JsonPathQuery? Fail(string text, string message, out string? error)
    {
        error = $"JsonPath '{text}': {message}";
        return null;
    }

    private static string ReadName(string s, int start, out int end)
    {
        end = start;
        while (end < s.Length && s[end] is not ('.' or '[')) end++;
        return s[start..end];
    }

    /// <summary>All values selected in <paramref name="root"/>, in document order.</summary>
    public List<JsonElement> Select(JsonElement root)
    {
        var current = new List<JsonElement> { root };
        foreach (var step in _steps)
        {
            var next = new List<JsonElement>();
            foreach (var element in current) Apply(step, element, next);
            current = next;
        }
        return current;
    }

    private static void Apply(Step step, JsonElement element, List<JsonElement> into)
    {
        switch (step)
        {
            case Member m when element.ValueKind == JsonValueKind.Object && element.TryGetProperty(m.Name, out var value):
                into.Add(value);
                break;
            case Index ix when element.ValueKind == JsonValueKind.Array && ix.Value < element.GetArrayLength():
                into.Add(element[ix.Value]);
                break;
            case Wildcard when element.ValueKind == JsonValueKind.Array:
                into.AddRange(element.EnumerateArray());
                break;
            case Wildcard when element.ValueKind == JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) into.Add(property.Value);
                break;
            case Descendant d:
                Descend(d.Name, element, into);
                break;
        }
    }

    private static void Descend(string name, JsonElement element, List<JsonElement> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals(name)) into.Add(property.Value);
                Descend(name, property.Value, into);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Descend(name, item, into);
        }
    }

    /// <summary>A selected value as a placeholder value: strings unquoted, everything else as its JSON text.</summary>
    public static string ToParameter(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
