using System.Globalization;
using System.Text.RegularExpressions;

namespace Bff.Shared.KeyStore;

/// <summary>A limit written as <c>count/period</c>: <c>100/1s</c>, <c>100000/1d</c> (periods as in Ocelot:
/// a number with ms, s, m, h or d).</summary>
internal readonly partial record struct PlanLimit(long Count, TimeSpan Period)
{
    [GeneratedRegex(@"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out PlanLimit limit)
    {
        limit = default;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, out var count) || count <= 0) return false;
        var amount = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var period = match.Groups[3].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        if (period <= TimeSpan.Zero) return false;
        limit = new PlanLimit(count, period);
        return true;
    }

    public override string ToString() => $"{Count}/{Format(Period)}";

    public static string Format(TimeSpan period) =>
        period.TotalDays >= 1 && period.TotalDays % 1 == 0 ? $"{period.TotalDays}d"
        : period.TotalHours >= 1 && period.TotalHours % 1 == 0 ? $"{period.TotalHours}h"
        : period.TotalMinutes >= 1 && period.TotalMinutes % 1 == 0 ? $"{period.TotalMinutes}m"
        : period.TotalSeconds >= 1 && period.TotalSeconds % 1 == 0 ? $"{period.TotalSeconds}s"
        : $"{period.TotalMilliseconds}ms";
}
