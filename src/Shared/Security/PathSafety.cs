namespace Bff.Shared.Security;

/// <summary>
/// Decides whether a value may become part of a downstream path: after percent-decoding as often as a chain of
/// servers might (three rounds), it must not hold a ".." segment (also "..;"), an encoded '/' or '\', or a '\'.
/// Catches <c>%2e%2e</c>, <c>..%2F</c>, <c>%252e%252e</c> and values taken from query strings, headers or
/// aggregated responses alike.
/// </summary>
internal static class PathSafety
{
    private const int DecodeRounds = 3;

    public static bool IsUnsafe(string value)
    {
        if (value.AsSpan().IndexOfAny('.', '%', '\\') < 0) return false;
        var current = value;
        for (var round = 0; round <= DecodeRounds; round++)
        {
            if (current.Contains('\\') || current.Contains("%2F", StringComparison.OrdinalIgnoreCase)
                || current.Contains("%5C", StringComparison.OrdinalIgnoreCase) || HasDotSegment(current))
                return true;
            if (!current.Contains('%')) return false;
            string decoded;
            try { decoded = Uri.UnescapeDataString(current); }
            catch (UriFormatException) { return true; }
            if (decoded == current) return false;
            // Decoding may have produced '/' from %2F: judge that round's slashes as separators too.
            if (HasDotSegment(decoded)) return true;
            current = decoded;
        }
        return true;
    }

    /// <summary>A raw request path (slashes are separators; encoded ones are judged after decoding).</summary>
    public static bool IsUnsafeRawPath(ReadOnlySpan<char> rawPath)
    {
        if (rawPath.IndexOfAny('.', '%', '\\') < 0) return false;
        if (HasDotSegment(rawPath)) return true;
        if (rawPath.IndexOf('%') < 0) return false;
        var current = rawPath.ToString();
        for (var round = 0; round < DecodeRounds && current.Contains('%'); round++)
        {
            string decoded;
            try { decoded = Uri.UnescapeDataString(current); }
            catch (UriFormatException) { return true; }
            if (decoded == current) break;
            if (HasDotSegment(decoded)) return true;
            current = decoded;
        }
        return false;
    }

    /// <summary>True when a ".." (or "..;") segment appears, '/' and '\' both counting as separators.</summary>
    public static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] is not ('/' or '\\')) continue;
            var segment = path[start..i];
            if (segment.SequenceEqual("..") || segment.StartsWith("..;")) return true;
            start = i + 1;
        }
        return false;
    }
}
