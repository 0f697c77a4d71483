using System.Globalization;
using System.Text.RegularExpressions;

namespace Bff.Shared.KeyStore;

/// <summary>Durations as users write them on command lines and in requests: <c>90s</c>, <c>15m</c>, <c>24h</c>, <c>7d</c>.</summary>
internal static partial class Durations
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = Pattern().Match(text ?? "");
        if (!match.Success) return false;
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var milliseconds = amount * match.Groups[2].Value switch { "ms" => 1d, "s" => 1_000d, "m" => 60_000d, "h" => 3_600_000d, _ => 86_400_000d };
        if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
