using System.Security.Claims;
using System.Text.RegularExpressions;

namespace Bff.Shared.Auth;

/// <summary>
/// Ocelot's claim expression (schema §6.3): <c>Claims[type] &gt; value</c> takes all values of the claim joined by
/// commas; <c>Claims[type] &gt; value[i] &gt; delimiter</c> splits that by the delimiter and takes element i.
/// </summary>
internal sealed partial record ClaimExpression(string ClaimType, int? Index, string? Delimiter)
{
    [GeneratedRegex(@"^Claims\[(?<type>.+)\]$")]
    private static partial Regex ClaimPart();

    [GeneratedRegex(@"^value\[(?<index>\d+)\]$")]
    private static partial Regex IndexPart();

    public static ClaimExpression? Parse(string text, out string? error)
    {
        error = null;
        var parts = text.Split('>', StringSplitOptions.TrimEntries);
        var claim = ClaimPart().Match(parts[0]);
        if (parts.Length < 2 || !claim.Success)
        {
            error = $"'{text}' is not a claim expression (Claims[type] > value, or Claims[type] > value[i] > delimiter)";
            return null;
        }
        if (parts.Length == 2 && parts[1] == "value") return new ClaimExpression(claim.Groups["type"].Value, null, null);
        var index = IndexPart().Match(parts[1]);
        if (parts.Length == 3 && index.Success && parts[2].Length > 0)
            return new ClaimExpression(claim.Groups["type"].Value, int.Parse(index.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture), parts[2]);
        error = $"'{text}' is not a claim expression (Claims[type] > value, or Claims[type] > value[i] > delimiter)";
        return null;
    }

    /// <summary>The value for <paramref name="user"/>, or null when the claim is missing or the index out of range.</summary>
    public string? Evaluate(ClaimsPrincipal user)
    {
        var values = user.FindAll(ClaimType).Select(c => c.Value).ToArray();
        if (values.Length == 0) return null;
        var joined = string.Join(",", values);
        if (Index is not { } index) return joined;
        var pieces = joined.Split(Delimiter!.ToCharArray());
        return index < pieces.Length ? pieces[index] : null;
    }
}
