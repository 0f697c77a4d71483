using System.Text;
using System.Text.RegularExpressions;

namespace Bff.Shared.Routing;

/// <summary>
/// An Ocelot upstream path template compiled once per configuration load (schema §4.1/§4.2):
/// a placeholder in the last path segment (or in the query) is greedy and crosses slashes, one elsewhere matches one
/// non-empty segment; <c>/x/{all}</c> also matches <c>/x</c>; <c>/{all}</c> alone is a root catch-all with priority 0;
/// a template with <c>?</c> is matched against path plus query. Literal text is matched literally (Ocelot treats it
/// as a regular expression, so a <c>.</c> is a wildcard there: a documented deviation).
/// A path placeholder needs at least one character unless <c>Gateway:OcelotEmptyPlaceholders</c> is set (Ocelot lets
/// <c>/x/{id}</c> match <c>/x</c> and <c>/x/</c>, turning an item route into its collection route: a documented
/// deviation); only a final catch-all named <c>{everything}</c> (and the root catch-all) may still be empty.
/// </summary>
internal sealed class UpstreamTemplate
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled;

    /// <summary>The most one template may spend on one input: templates with several greedy placeholders in a segment
    /// (<c>/f/{a}-{b}-{c}</c>) backtrack polynomially on hostile paths; past this the route simply does not match.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private UpstreamTemplate(string template, Regex regex, string[] names, bool hasQuery, bool isRootCatchAll, bool queryCatchAll, int firstQueryPlaceholder = int.MaxValue)
    {
        FirstQueryPlaceholder = firstQueryPlaceholder;
        Template = template;
        Regex = regex;
        PlaceholderNames = names;
        HasQuery = hasQuery;
        IsRootCatchAll = isRootCatchAll;
        QueryCatchAll = queryCatchAll;
    }

    public string Template { get; }
    public Regex Regex { get; }

    /// <summary>Index of the first placeholder that sits in the query (its raw value is percent-decoded).</summary>
    public int FirstQueryPlaceholder { get; }
    public string[] PlaceholderNames { get; }

    /// <summary>The template has a query part: match against path + query string.</summary>
    public bool HasQuery { get; }

    /// <summary>Exactly <c>/{name}</c>: matches everything, priority forced to 0.</summary>
    public bool IsRootCatchAll { get; }

    /// <summary>The query part is a single <c>{placeholder}</c>: its value is empty, the query is forwarded.</summary>
    public bool QueryCatchAll { get; }

    /// <summary>The name of the one placeholder that may be empty at the end of a template.</summary>
    public const string CatchAllName = "everything";

    public static UpstreamTemplate Compile(string template, List<TemplatePart> parts, bool caseSensitive, bool ocelotEmptyPlaceholders = false)
    {
        var options = caseSensitive ? Options : Options | RegexOptions.IgnoreCase;
        var names = parts.Where(p => p.IsPlaceholder).Select(p => p.Text).ToArray();

        if (parts.Count == 2 && !parts[0].IsPlaceholder && parts[0].Text == "/" && parts[1].IsPlaceholder)
            return new UpstreamTemplate(template, new Regex("^/(?<g0>.*)$", options, MatchTimeout), names, false, true, false);

        var pattern = new StringBuilder("^");
        var queryAt = parts.FindIndex(p => !p.IsPlaceholder && p.Text.Contains('?'));
        var hasQuery = queryAt >= 0;
        var lastPathPlaceholder = -1;
        for (var i = 0; i < (hasQuery ? queryAt : parts.Count); i++)
            if (parts[i].IsPlaceholder) lastPathPlaceholder = i;

        var group = 0;
        var inQuery = false;
        var queryCatchAll = false;
        var firstQueryPlaceholder = int.MaxValue;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (!part.IsPlaceholder)
            {
                var text = part.Text;
                if (!inQuery && text.IndexOf('?') is var q and >= 0)
                {
                    AppendPathLiteral(pattern, text[..q].TrimEnd('/'), isLast: false);
                    // Ocelot: "/?" or "?" becomes (/$|/\?|\?|$) — the query part may be absent altogether.
                    pattern.Append(@"(?:/$|/\?|\?|$)");
                    pattern.Append(Regex.Escape(text[(q + 1)..]));
                    inQuery = true;
                    continue;
                }
                if (inQuery) pattern.Append(Regex.Escape(text));
                else AppendPathLiteral(pattern, text, isLast: i == parts.Count - 1);
                continue;
            }

            var name = "g" + group++;
            if (inQuery)
            {
                firstQueryPlaceholder = Math.Min(firstQueryPlaceholder, group - 1);
                queryCatchAll |= AppendQueryPlaceholder(pattern, parts, i, name);
            }
            else AppendPathPlaceholder(pattern, parts, i, name, i == lastPathPlaceholder, hasQuery ? queryAt : -1, ocelotEmptyPlaceholders);
        }
        pattern.Append('$');
        return new UpstreamTemplate(template, new Regex(pattern.ToString(), options, MatchTimeout), names, hasQuery, false, queryCatchAll, firstQueryPlaceholder);
    }

    /// <summary>A query placeholder: the whole query when it alone follows "?", else one value up to the next '&amp;'.
    /// Returns whether it captures the whole query.</summary>
    private static bool AppendQueryPlaceholder(StringBuilder pattern, List<TemplatePart> parts, int i, string name)
    {
        var lastInQuery = i == parts.Count - 1;
        if (lastInQuery && parts[i - 1].Text.EndsWith('?'))
        {
            pattern.Append($"(?<{name}>.*)");
            return true;
        }
        pattern.Append($"(?<{name}>[^&]*)");
        if (lastInQuery) pattern.Append("(?:&.*)?");
        return false;
    }

    /// <summary>A path placeholder (<paramref name="queryAt"/>: the query literal's index, -1 without a query).</summary>
    private static void AppendPathPlaceholder(StringBuilder pattern, List<TemplatePart> parts, int i, string name, bool lastPathPlaceholder, int queryAt, bool ocelotEmptyPlaceholders)
    {
        var hasQuery = queryAt >= 0;
        var end = hasQuery ? queryAt : parts.Count;
        if (lastPathPlaceholder && IsLastSegment(parts, i, end))
        {
            var mayBeEmpty = ocelotEmptyPlaceholders || string.Equals(parts[i].Text, CatchAllName, StringComparison.OrdinalIgnoreCase);
            var stop = hasQuery ? (mayBeEmpty ? "[^?]*" : "[^?]+") : (mayBeEmpty ? ".*" : ".+");
            var precededBySlash = i > 0 && parts[i - 1].Text.EndsWith('/');
            var wholeSegment = precededBySlash && i == end - 1
                && (!hasQuery || parts[queryAt].Text.StartsWith('?') || parts[queryAt].Text.StartsWith("/?", StringComparison.Ordinal));
            if (wholeSegment && mayBeEmpty)
            {
                // "/x/{all}" matches "/x", "/x/" and "/x/a/b" (VERIFIED in Ocelot 25).
                pattern.Length--;
                pattern.Append($"(?:/(?<{name}>{stop}))?");
            }
            else
            {
                // "/x/{id}" needs a non-empty id: it does not match "/x" or "/x/".
                pattern.Append($"(?<{name}>{stop})");
            }
        }
        else if (IsLastSegment(parts, i, end))
        {
            // Ocelot: every placeholder with no '/' after it is ".*" (".+" unless empty placeholders are allowed).
            var quantifier = ocelotEmptyPlaceholders ? '*' : '+';
            pattern.Append($"(?<{name}>{(hasQuery ? "[^?]" : ".")}{quantifier})");
        }
        else
        {
            pattern.Append($"(?<{name}>[^/]+)");
        }
    }

    private static bool IsLastSegment(IReadOnlyList<TemplatePart> parts, int index, int end)
    {
        for (var i = index + 1; i < end; i++)
            if (!parts[i].IsPlaceholder && parts[i].Text.Contains('/')) return false;
        return true;
    }

    private static void AppendPathLiteral(StringBuilder pattern, string text, bool isLast)
    {
        // Ocelot: a trailing "/" is optional ("(/|)"); the template "/" is exactly "/".
        if (isLast && text.EndsWith('/') && !(text == "/" && pattern.Length == 1))
        {
            pattern.Append(Regex.Escape(text[..^1])).Append("/?");
            return;
        }
        pattern.Append(Regex.Escape(text));
    }

    /// <summary>Allocation-free check used for every candidate route.</summary>
    public bool IsMatch(ReadOnlySpan<char> input)
    {
        try { return Regex.IsMatch(input); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    /// <summary>Extracts placeholder values; called once per request, for the winning route only.</summary>
    public void ExtractValues(string input, List<KeyValuePair<string, string>> into)
    {
        Match match;
        try { match = Regex.Match(input); }
        catch (RegexMatchTimeoutException) { return; }
        if (!match.Success) return;
        for (var i = 0; i < PlaceholderNames.Length; i++)
        {
            var g = match.Groups["g" + i];
            var value = g.Success ? g.Value : "";
            if (QueryCatchAll && i == PlaceholderNames.Length - 1) value = "";
            else if (i >= FirstQueryPlaceholder && value.Length > 0) value = Uri.UnescapeDataString(value);
            into.Add(new(PlaceholderNames[i], value));
        }
    }
}
