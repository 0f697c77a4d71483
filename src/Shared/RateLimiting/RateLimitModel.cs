using System.Globalization;
using System.Text.RegularExpressions;

namespace Bff.Shared.RateLimiting;

/// <summary>How a limit counts.</summary>
public enum RateLimitAlgorithm
{
    /// <summary>Ocelot's: a window of Period that starts with the first request.</summary>
    FixedWindow,
    /// <summary>A sliding counter over the current and the previous window (no double burst at a boundary).</summary>
    SlidingWindow,
    /// <summary>GCRA: a token bucket of Limit tokens refilled evenly over Period.</summary>
    TokenBucket,
}

/// <summary>One limit: at most <see cref="Limit"/> requests per <see cref="Period"/>.</summary>
internal sealed record RateLimitRule(string Name, long Limit, TimeSpan Period, TimeSpan Wait, RateLimitAlgorithm Algorithm)
{
    public string PeriodText => PeriodFormat(Period);

    internal static string PeriodFormat(TimeSpan period) =>
        period.TotalDays >= 1 && period.TotalDays % 1 == 0 ? $"{period.TotalDays}d"
        : period.TotalHours >= 1 && period.TotalHours % 1 == 0 ? $"{period.TotalHours}h"
        : period.TotalMinutes >= 1 && period.TotalMinutes % 1 == 0 ? $"{period.TotalMinutes}m"
        : period.TotalSeconds >= 1 && period.TotalSeconds % 1 == 0 ? $"{period.TotalSeconds}s"
        : $"{period.TotalMilliseconds}ms";
}

/// <summary>A route's rate limiting (Ocelot's RateLimitOptions, merged with the global section), compiled.</summary>
internal sealed record RouteRateLimitModel(
    RateLimitRule[] Rules, string[] Whitelist, string ClientIdHeader, int StatusCode, string QuotaMessage, bool EnableHeaders, string KeyPrefix);

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
