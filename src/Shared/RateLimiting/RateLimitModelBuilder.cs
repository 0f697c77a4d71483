using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Builds a route's rate limits: RateLimitOptions merged with the global section by Ocelot's rule (§3.1; a global
/// section without RouteKeys applies to every route that has none of its own), each section's legacy names winning as
/// in Ocelot, plus our extensions (Algorithm, Limits).
/// </summary>
internal static class RateLimitModelBuilder
{
    public static RouteRateLimitModel? Build(RouteBuildContext c)
    {
        var (r, g, errors) = (c.Route, c.Global.RateLimitOptions, c.Errors);
        var isGlobal = OcelotMerge.Applies(g?.RouteKeys, r.Key);
        var route = r.RateLimitOptions;
        if (route is null && !(isGlobal && g is { SetsLimit: true })) return null;
        if (route?.EnableRateLimiting == false || (isGlobal && g?.EnableRateLimiting == false)) return null;

        // Each section's legacy name wins over its new name (Ocelot); then the route's value wins over the global one.
        T? Pick<T>(Func<FileRateLimitByHeaderRule, T?> value) where T : class =>
            (route is null ? null : value(route)) ?? (isGlobal && g is not null ? value(g) : null);
        T? PickValue<T>(Func<FileRateLimitByHeaderRule, T?> value) where T : struct =>
            (route is null ? null : value(route)) ?? (isGlobal && g is not null ? value(g) : null);

        var at = "RateLimitOptions";
        var limit = PickValue(o => o.Limit);
        var periodText = Pick(o => string.IsNullOrWhiteSpace(o.Period) ? null : o.Period) ?? "1s";
        if (limit is not > 0) errors.Add($"{at}.Limit", $"RateLimitOptions.Limit is negative or zero for the route {r.UpstreamPathTemplate}");
        if (!RateLimitPeriod.TryParse(periodText, out var period) || period < TimeSpan.FromMilliseconds(1))
            errors.Add($"{at}.Period", "RateLimitOptions.Period does not contain integer then ms (millisecond), s (second), m (minute), h (hour), d (day) notation (at least 1ms)");
        var wait = TimeSpan.Zero;
        var waitSeconds = PickValue(o => o.PeriodTimespan);
        var waitText = Pick(o => o.PeriodTimespan is not null || string.IsNullOrWhiteSpace(o.Wait) ? null : o.Wait);
        if (route?.PeriodTimespan is { } routeSeconds) wait = TimeSpan.FromSeconds(routeSeconds);
        else if (route?.Wait is { Length: > 0 } routeWait) { if (!RateLimitPeriod.TryParse(routeWait, out wait)) errors.Add($"{at}.Wait", $"'{routeWait}' is not a period (e.g. 500ms, 10s)"); }
        else if (waitSeconds is { } seconds) wait = TimeSpan.FromSeconds(seconds);
        else if (waitText is not null && !RateLimitPeriod.TryParse(waitText, out wait)) errors.Add($"{at}.Wait", $"'{waitText}' is not a period (e.g. 500ms, 10s)");
        var algorithm = RateLimitAlgorithm.FixedWindow;
        if (Pick(o => o.Algorithm) is { } algorithmText && (!Enum.TryParse(algorithmText, ignoreCase: true, out algorithm) || !Enum.IsDefined(algorithm)))
            errors.Add($"{at}.Algorithm", $"'{algorithmText}' is not FixedWindow, SlidingWindow or TokenBucket");

        var rules = new List<RateLimitRule> { new("default", limit ?? 1, period, wait, algorithm) };
        var extras = route?.Limits ?? (isGlobal ? g?.Limits : null) ?? [];
        for (var i = 0; i < extras.Count; i++)
        {
            var extra = extras[i];
            if (extra.Limit is not > 0) errors.Add($"{at}.Limits[{i}].Limit", "must be positive");
            if (!RateLimitPeriod.TryParse(extra.Period, out var extraPeriod) || extraPeriod < TimeSpan.FromMilliseconds(1)) errors.Add($"{at}.Limits[{i}].Period", $"'{extra.Period}' is not a period (e.g. 1s, 1d)");
            var name = string.IsNullOrWhiteSpace(extra.Name) ? $"limit{i + 1}" : extra.Name;
            if (!ConfigRules.IsToken(name) || name.Contains('"') || name.Length > 40) errors.Add($"{at}.Limits[{i}].Name", $"'{name}' is not a policy name (letters, digits, - and _)");
            rules.Add(new RateLimitRule(name, extra.Limit ?? 1, extraPeriod, TimeSpan.Zero, algorithm));
        }
        static int? Status(FileRateLimitByHeaderRule o) => o.HttpStatusCode ?? o.StatusCode;
        static bool? Headers(FileRateLimitByHeaderRule o) => o.DisableRateLimitHeaders is { } disabled ? !disabled : o.EnableHeaders;
        static string? Message(FileRateLimitByHeaderRule o) => o.QuotaExceededMessage ?? o.QuotaMessage;
        static string? Prefix(FileRateLimitByHeaderRule o) => o.RateLimitCounterPrefix ?? o.KeyPrefix;
        var status = PickValue(Status) ?? 429;
        if (status is < 400 or > 599) errors.Add($"{at}.StatusCode", $"{status} is not an error status");
        var message = Pick(Message) ?? "API calls quota exceeded! Maximum admitted {0} per {1}.";
        try { _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, message, 1, "1s"); }
        catch (FormatException) { errors.Add($"{at}.QuotaMessage", $"'{message}' is not a valid message ({{0}} is the limit, {{1}} the period; write {{{{ and }}}} for braces)"); }
        var headers = PickValue(Headers) ?? true;
        return new RouteRateLimitModel(
            [.. rules],
            [.. Pick(o => o.ClientWhitelist) ?? []],
            Pick(o => string.IsNullOrWhiteSpace(o.ClientIdHeader) ? null : o.ClientIdHeader) ?? "Oc-Client",
            status,
            message,
            headers,
            // Braces would make Redis Cluster hash the prefix instead of the client's tag (keys of one decision in two slots).
            (Pick(Prefix) ?? "Ocelot.RateLimiting").Replace('{', '(').Replace('}', ')'));
    }
}
