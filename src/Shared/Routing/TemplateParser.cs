namespace Bff.Shared.Routing;

/// <summary>Splits Ocelot path templates into literal text and <c>{placeholders}</c>, reporting malformed ones.</summary>
internal static class TemplateParser
{
    /// <summary>Returns the parts, or null with a message when the braces are malformed.</summary>
    public static List<TemplatePart>? Parse(string template, out string? error)
    {
        var parts = new List<TemplatePart>();
        var literalStart = 0;
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}')
            {
                error = $"'{template}' has a '}}' without a matching '{{' at position {i}";
                return null;
            }
            if (c != '{') { i++; continue; }

            var close = template.IndexOf('}', i + 1);
            var nested = template.IndexOf('{', i + 1);
            if (close < 0 || (nested >= 0 && nested < close))
            {
                error = $"'{template}' has a '{{' without a matching '}}' at position {i}";
                return null;
            }
            var name = template[(i + 1)..close];
            if (name.Length == 0 || name.AsSpan().IndexOfAny("/?&#") >= 0 || name.Trim() != name)
            {
                error = $"'{template}' has a malformed placeholder '{{{name}}}'";
                return null;
            }
            if (i > literalStart) parts.Add(new TemplatePart(template[literalStart..i], false));
            parts.Add(new TemplatePart(name, true));
            i = close + 1;
            literalStart = i;
        }
        if (literalStart < template.Length) parts.Add(new TemplatePart(template[literalStart..], false));
        error = null;
        return parts;
    }

    /// <summary>Names that occur more than once (Ocelot: "has duplicated placeholder").</summary>
    public static IEnumerable<string> Duplicates(IEnumerable<TemplatePart> parts) =>
        parts.Where(p => p.IsPlaceholder)
            .GroupBy(p => p.Text, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key);
}
