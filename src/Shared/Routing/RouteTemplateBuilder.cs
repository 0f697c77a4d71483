using System.Text;
using System.Text.RegularExpressions;
using Bff.Shared.Configuration;

namespace Bff.Shared.Routing;

/// <summary>Validates and compiles the matching part of a route or aggregate: path templates, methods and
/// <c>UpstreamHeaderTemplates</c>. Messages follow Ocelot 25's wording where Ocelot has a rule.</summary>
internal static partial class RouteTemplateBuilder
{
    [GeneratedRegex(@"\{header:([^{}]+)\}", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderPlaceholder();

    /// <summary>The template's parts, or null (reported) when it is empty or not an Ocelot path template.</summary>
    public static List<TemplatePart>? PathTemplate(string property, string? template, ConfigErrorScope errors)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            errors.Add(property, $"{property} cannot be empty");
            return null;
        }
        var ok = true;
        if (!template.StartsWith('/')) { errors.Add(property, $"{property} {template} doesnt start with forward slash"); ok = false; }
        if (template.Contains("//", StringComparison.Ordinal) && !template.Contains("://", StringComparison.Ordinal))
        { errors.Add(property, $"{property} {template} contains double forward slash, Ocelot does not support this at the moment. Please raise an issue in GitHib if you need this feature."); ok = false; }
        if (template.Contains("://", StringComparison.Ordinal)) { errors.Add(property, $"{property} {template} contains scheme"); ok = false; }
        var parts = TemplateParser.Parse(template, out var parseError);
        if (parts is null) { errors.Add(property, parseError!); return null; }
        if (property == "DownstreamPathTemplate")
            foreach (var name in TemplateParser.Duplicates(parts))
                errors.Add(property, $"DownstreamPathTemplate '{template}' has duplicated placeholder '{{{name}}}'");
        return ok ? parts : null;
    }

    /// <summary>Reports every method that is not an HTTP method token.</summary>
    public static void Methods(IReadOnlyList<string> methods, ConfigErrorScope errors)
    {
        for (var m = 0; m < methods.Count; m++)
            if (!ConfigRules.IsToken(methods[m]))
                errors.Add($"UpstreamHttpMethod[{m}]", $"'{methods[m]}' is not an HTTP method");
    }

    /// <summary>A placeholder may appear once across the path template and the header templates.</summary>
    public static void UniquePlaceholders(string? template, List<TemplatePart>? parts, HeaderTemplate[] headerTemplates, ConfigErrorScope errors)
    {
        if (parts is null) return;
        foreach (var name in TemplateParser.Duplicates(parts.Concat(headerTemplates.SelectMany(t => t.CaptureNames).Select(n => new TemplatePart(n, true)))))
            errors.Add("UpstreamPathTemplate", $"UpstreamPathTemplate '{template}' has duplicated placeholder '{{{name}}}'");
    }

    /// <summary><c>UpstreamHeaderTemplates</c>: each value a literal with <c>{header:name}</c> captures.</summary>
    public static HeaderTemplate[] HeaderTemplates(Dictionary<string, string> templates, bool caseSensitive, ConfigErrorScope errors)
    {
        var result = new List<HeaderTemplate>();
        var options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | (caseSensitive ? 0 : RegexOptions.IgnoreCase);
        foreach (var (header, value) in templates)
        {
            if (!ConfigRules.IsToken(header)) { errors.Add($"UpstreamHeaderTemplates.{header}", $"'{header}' is not a valid header name"); continue; }
            var pattern = new StringBuilder("^");
            var names = new List<string>();
            var last = 0;
            foreach (Match m in HeaderPlaceholder().Matches(value ?? ""))
            {
                pattern.Append(Regex.Escape(value![last..m.Index]));
                pattern.Append($"(?<h{names.Count}>.+)");
                names.Add(m.Groups[1].Value.Trim());
                last = m.Index + m.Length;
            }
            var rest = (value ?? "")[last..];
            if (rest.Contains('{') || rest.Contains('}'))
            {
                errors.Add($"UpstreamHeaderTemplates.{header}", $"'{value}' has a placeholder that is not of the form {{header:name}}");
                continue;
            }
            pattern.Append(Regex.Escape(rest)).Append('$');
            result.Add(new HeaderTemplate(header, new Regex(pattern.ToString(), options, UpstreamTemplate.MatchTimeout), [.. names]));
        }
        return [.. result];
    }
}
