namespace Bff.Shared.RateLimiting;

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
