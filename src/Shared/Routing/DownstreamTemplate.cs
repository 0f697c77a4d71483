using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// An Ocelot downstream path template (schema §4.5): <c>{name}</c> is replaced by the placeholder's value (an
/// unknown one stays literal), a trailing "/" the upstream path does not have is trimmed, and the upstream query is
/// forwarded minus parameters named like a placeholder; a template with its own <c>?query</c> puts those first.
/// </summary>
internal sealed class DownstreamTemplate
{
    private readonly TemplatePart[] _path;
    private readonly TemplatePart[]? _query;

    public DownstreamTemplate(string template, IReadOnlyList<TemplatePart> parts)
    {
        Template = template;
        var q = template.IndexOf('?');
        if (q < 0)
        {
            _path = [.. parts];
            return;
        }
        // Split the part list at the '?' (which is always inside a literal).
        var path = new List<TemplatePart>();
        var query = new List<TemplatePart>();
        var inQuery = false;
        foreach (var part in parts)
        {
            if (!inQuery && !part.IsPlaceholder && part.Text.IndexOf('?') is var i and >= 0)
            {
                if (i > 0) path.Add(part with { Text = part.Text[..i] });
                if (i < part.Text.Length - 1) query.Add(part with { Text = part.Text[(i + 1)..] });
                inQuery = true;
                continue;
            }
            (inQuery ? query : path).Add(part);
        }
        _path = [.. path];
        _query = [.. query];
    }

    public string Template { get; }

    public PathString BuildPath(IReadOnlyList<KeyValuePair<string, string>> values, string upstreamPath)
    {
        var path = Substitute(_path, values, escape: false);
        if (path.Length > 1 && path.EndsWith('/') && !upstreamPath.EndsWith('/')) path = path[..^1];
        return new PathString(path.Length == 0 ? "/" : path);
    }

    public QueryString BuildQuery(IReadOnlyList<KeyValuePair<string, string>> values, QueryString upstreamQuery)
    {
        var builder = new StringBuilder();
        HashSet<string>? templateKeys = null;
        if (_query is not null)
        {
            var own = Substitute(_query, values, escape: true);
            foreach (var pair in own.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                templateKeys ??= new(StringComparer.OrdinalIgnoreCase);
                var name = NameOf(pair);
                if (!templateKeys.Add(name)) continue;
                builder.Append(builder.Length == 0 ? '?' : '&').Append(pair);
            }
        }

        var upstream = upstreamQuery.Value;
        if (!string.IsNullOrEmpty(upstream) && upstream.Length > 1)
        {
            foreach (var pair in upstream[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = NameOf(pair);
                if (IsPlaceholderName(name, values)) continue;
                if (templateKeys is not null && templateKeys.Contains(name)) continue;
                builder.Append(builder.Length == 0 ? '?' : '&').Append(pair);
            }
        }
        return builder.Length == 0 ? QueryString.Empty : new QueryString(builder.ToString());
    }

    /// <summary>Replaces or adds parameters (Ocelot's AddQueriesToRequest).</summary>
    public static QueryString WithParameters(QueryString query, List<KeyValuePair<string, string>> parameters)
    {
        var names = parameters.Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = (query.Value is { Length: > 1 } q ? q[1..].Split('&', StringSplitOptions.RemoveEmptyEntries) : [])
            .Where(pair => !names.Contains(NameOf(pair)));
        var added = parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}");
        var all = string.Join('&', kept.Concat(added));
        return all.Length == 0 ? QueryString.Empty : new QueryString("?" + all);
    }

    private static string NameOf(string pair)
    {
        var eq = pair.IndexOf('=');
        var raw = eq < 0 ? pair : pair[..eq];
        return Uri.UnescapeDataString(raw.Replace('+', ' '));
    }

    private static bool IsPlaceholderName(string name, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        for (var i = 0; i < values.Count; i++)
            if (string.Equals(values[i].Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static string Substitute(TemplatePart[] parts, IReadOnlyList<KeyValuePair<string, string>> values, bool escape)
    {
        if (parts.Length == 1 && !parts[0].IsPlaceholder) return parts[0].Text;
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsPlaceholder) { builder.Append(part.Text); continue; }
            string? value = null;
            for (var i = 0; i < values.Count; i++)
                if (values[i].Key == part.Text) { value = values[i].Value; break; }
            if (value is null) builder.Append('{').Append(part.Text).Append('}');
            else builder.Append(escape ? Uri.EscapeDataString(value) : value);
        }
        return builder.ToString();
    }
}
