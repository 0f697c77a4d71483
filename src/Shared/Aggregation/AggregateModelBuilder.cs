using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;
using Bff.Shared.Routing;

namespace Bff.Shared.Aggregation;

/// <summary>Validates one aggregate and compiles it against the routes it names (RouteKeys, RouteKeysConfig, our
/// extensions FailureMode, Required, TimeoutMs, MaxFanOut, MaxResponseBytes, CopyHeaders, Aggregator).</summary>
internal static class AggregateModelBuilder
{
    public static AggregateModel? Build(
        FileAggregateRoute a, ItemSource source, List<FileRoute> fileRoutes, Dictionary<string, RouteModel> routesByKey,
        Dictionary<string, ItemSource> keys, ModelBuildContext context, ConfigErrorScope errors)
    {
        var start = errors.Count;
        var upstreamParts = RouteTemplateBuilder.PathTemplate("UpstreamPathTemplate", a.UpstreamPathTemplate, errors);
        var methods = a.UpstreamHttpMethod is { Count: > 0 } m ? m : ["GET"];
        RouteTemplateBuilder.Methods(methods, errors);
        var headerTemplates = RouteTemplateBuilder.HeaderTemplates(a.UpstreamHeaderTemplates, a.RouteIsCaseSensitive, errors);

        if (a.RouteKeys.Count == 0) errors.Add("RouteKeys", "an aggregate needs at least one RouteKey");
        var missing = a.RouteKeys.Where(k => !keys.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            errors.Add("RouteKeys", $"Routes for aggregateRoute {a.UpstreamPathTemplate} either do not exist or do not have correct ServiceName property (no route has the Key {string.Join(", ", missing.Select(k => $"'{k}'"))})");
        foreach (var duplicate in a.RouteKeys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add("RouteKeys", $"'{duplicate.Key}' is listed more than once");
        if (fileRoutes.Any(r => r.Key is not null && a.RouteKeys.Contains(r.Key) && !string.IsNullOrWhiteSpace(r.RequestIdKey)))
            errors.Add("RouteKeys", $"aggregateRoute {a.UpstreamPathTemplate} contains Route with specific RequestIdKey, this is not possible with Aggregates");

        var chained = Chained(a, errors);
        var mode = Extensions(a, context, errors);
        RouteTemplateBuilder.UniquePlaceholders(a.UpstreamPathTemplate, upstreamParts, headerTemplates, errors);

        if (errors.Count > start || upstreamParts is null) return null;
        // Keys of routes that failed their own validation are missing from routesByKey; those errors are reported already.
        if (a.RouteKeys.Any(k => !routesByKey.ContainsKey(k))) return null;

        var upstream = UpstreamTemplate.Compile(a.UpstreamPathTemplate!, upstreamParts, a.RouteIsCaseSensitive, context.OcelotEmptyPlaceholders);
        return new AggregateModel
        {
            Id = a.UpstreamPathTemplate!,
            Source = source,
            Upstream = upstream,
            Priority = upstream.IsRootCatchAll ? 0 : a.Priority,
            Methods = [.. methods.Select(x => x.ToUpperInvariant()).Distinct()],
            UpstreamHost = string.IsNullOrWhiteSpace(a.UpstreamHost) ? null : a.UpstreamHost,
            HeaderTemplates = headerTemplates,
            Parts = [.. a.RouteKeys.Select(k => chained.TryGetValue(k, out var c)
                ? new AggregatePartModel(k, routesByKey[k], c.Query, c.Parameter)
                : new AggregatePartModel(k, routesByKey[k], null, null))],
            FailureMode = mode,
            Required = a.Required.ToHashSet(StringComparer.Ordinal),
            Timeout = a.TimeoutMs is > 0 ? TimeSpan.FromMilliseconds(a.TimeoutMs.Value) : null,
            MaxFanOut = a.MaxFanOut ?? AggregateDefaults.MaxFanOut,
            MaxResponseBytes = a.MaxResponseBytes ?? AggregateDefaults.MaxResponseBytes,
            CopyHeaders = [.. a.CopyHeaders],
            Aggregator = string.IsNullOrWhiteSpace(a.Aggregator) ? null : a.Aggregator,
        };
    }

    /// <summary>RouteKeysConfig: which part is filled from the first part's answer (JsonPath → Parameter).</summary>
    private static Dictionary<string, (JsonPathQuery Query, string Parameter)> Chained(FileAggregateRoute a, ConfigErrorScope errors)
    {
        var configs = new Dictionary<string, (JsonPathQuery Query, string Parameter)>(StringComparer.Ordinal);
        for (var i = 0; i < a.RouteKeysConfig.Count; i++)
        {
            var c = a.RouteKeysConfig[i];
            var property = $"RouteKeysConfig[{i}]";
            if (string.IsNullOrWhiteSpace(c.RouteKey) || !a.RouteKeys.Contains(c.RouteKey))
            { errors.Add($"{property}.RouteKey", $"'{c.RouteKey}' is not one of this aggregate's RouteKeys"); continue; }
            if (a.RouteKeys.Count > 0 && c.RouteKey == a.RouteKeys[0])
            { errors.Add($"{property}.RouteKey", "the first RouteKey feeds the others and cannot itself be chained"); continue; }
            if (string.IsNullOrWhiteSpace(c.Parameter)) { errors.Add($"{property}.Parameter", "Parameter (the placeholder name to fill) is required"); continue; }
            var query = JsonPathQuery.Parse(c.JsonPath ?? "", out var pathError);
            if (query is null || string.IsNullOrWhiteSpace(c.JsonPath)) { errors.Add($"{property}.JsonPath", pathError ?? "JsonPath is required"); continue; }
            if (!configs.TryAdd(c.RouteKey, (query, c.Parameter))) errors.Add($"{property}.RouteKey", $"'{c.RouteKey}' is configured twice");
        }
        return configs;
    }

    /// <summary>Our extensions; returns the failure mode.</summary>
    private static AggregateFailureMode Extensions(FileAggregateRoute a, ModelBuildContext context, ConfigErrorScope errors)
    {
        var mode = AggregateFailureMode.Partial;
        if (!string.IsNullOrWhiteSpace(a.FailureMode) && (!Enum.TryParse(a.FailureMode, ignoreCase: true, out mode) || !Enum.IsDefined(mode)))
            errors.Add("FailureMode", $"'{a.FailureMode}' is not Partial or Strict");
        foreach (var key in a.Required.Where(k => !a.RouteKeys.Contains(k)))
            errors.Add("Required", $"'{key}' is not one of this aggregate's RouteKeys");
        if (a.TimeoutMs is <= 0) errors.Add("TimeoutMs", "must be a positive number of milliseconds");
        if (a.MaxFanOut is <= 0) errors.Add("MaxFanOut", "must be positive");
        if (a.MaxResponseBytes is <= 0) errors.Add("MaxResponseBytes", "must be positive");
        foreach (var header in a.CopyHeaders.Where(h => !ConfigRules.IsToken(h)))
            errors.Add("CopyHeaders", $"'{header}' is not a valid header name");
        if (!string.IsNullOrWhiteSpace(a.Aggregator) && context.Aggregators?.Contains(a.Aggregator) != true)
            errors.Add("Aggregator", $"no aggregator named '{a.Aggregator}' is registered (AddBffAggregator<T>(\"{a.Aggregator}\"))");
        return mode;
    }
}
