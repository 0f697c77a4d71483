using System.Globalization;
using System.Text.RegularExpressions;

namespace Bff.Shared.RateLimiting;

/// <summary>Ocelot's period syntax (schema §7.1): a number with ms, s, m, h or d; no unit means milliseconds.</summary>
internal static partial class RateLimitPeriod
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan period)
    {
        period = default;
        var match = Pattern().Match(text ?? "");
        if (!match.Success) return false;
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = amount * (match.Groups[2].Value switch { "s" => 1_000d, "m" => 60_000d, "h" => 3_600_000d, "d" => 86_400_000d, _ => 1d });
        if (ms > TimeSpan.FromDays(3650).TotalMilliseconds) return false;
        period = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
