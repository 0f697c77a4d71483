using Bff.Shared.Aggregation;
using Bff.Shared.Auth;
using Bff.Shared.Caching;
using Bff.Shared.Configuration.File;
using Bff.Shared.Forwarding;
using Bff.Shared.Headers;
using Bff.Shared.LoadBalancing;
using Bff.Shared.RateLimiting;
using Bff.Shared.Resilience;
using Bff.Shared.Routing;
using Bff.Shared.Security;
using Bff.Shared.ServiceDiscovery;

namespace Bff.Shared.Configuration;

/// <summary>
/// Validates loaded route files and compiles them into a <see cref="GatewayModel"/>: the coordinator. Each feature
/// builds and validates its own part of a route (Auth, RateLimiting, Caching, Resilience, Forwarding, LoadBalancing,
/// Headers, Security, Routing, Aggregation — a <c>*ModelBuilder</c> in its folder); what spans items stays here
/// (duplicate Keys and routes, global RouteKeys, aggregate duplicates). Every check runs, without short-circuiting,
/// so one start reports every error (file, JSON path, message). Messages follow Ocelot 25's wording where Ocelot has
/// a rule, so they can be searched for.
/// </summary>
internal static class GatewayModelBuilder
{
    public static (GatewayModel? Model, List<ConfigError> Errors) Build(LoadedConfiguration loaded, ModelBuildContext context)
    {
        var errors = new List<ConfigError>(loaded.Errors);
        if (!loaded.Bound) return (null, errors);

        // Items whose values could not be bound are reported already; everything else is still checked, so one
        // typo does not hide the other errors.
        var file = loaded.File;
        var global = file.GlobalConfiguration;
        var globalErrors = new ConfigErrorScope(errors, loaded.GlobalSource, "GlobalConfiguration");
        var baseUrlConfigured = HeaderModelBuilder.BaseUrlConfigured(global, context);
        ValidateGlobal(global, context, baseUrlConfigured, globalErrors);
        var globalIpPolicy = SecurityModelBuilder.GlobalPolicy(global, globalErrors);

        var keys = new Dictionary<string, ItemSource>(StringComparer.Ordinal);
        var routes = new List<RouteModel>();
        for (var i = 0; i < file.Routes.Count; i++)
        {
            if (loaded.UnboundRoutes.Contains(i)) continue;
            var source = OcelotFileLoader.SourceOf(loaded.RouteSources, i, loaded.Files.Count > 0 ? loaded.Files[^1] : null);
            var scope = new ConfigErrorScope(errors, source.File, $"Routes[{source.Index}]");
            if (BuildRoute(file.Routes[i], global, globalIpPolicy, baseUrlConfigured, source, context, scope, keys) is { } route) routes.Add(route);
        }

        ValidateGlobalRouteKeys(global, loaded, keys, errors);
        ValidateDuplicates(file.Routes, loaded, errors);
        var routesByKey = routes.Where(r => r.Key is not null).ToDictionary(r => r.Key!, StringComparer.Ordinal);
        var aggregates = new List<AggregateModel>();
        for (var i = 0; i < file.Aggregates.Count; i++)
        {
            if (loaded.UnboundAggregates.Contains(i)) continue;
            var source = OcelotFileLoader.SourceOf(loaded.AggregateSources, i, null);
            var scope = new ConfigErrorScope(errors, source.File, $"Aggregates[{source.Index}]");
            if (AggregateModelBuilder.Build(file.Aggregates[i], source, file.Routes, routesByKey, keys, context, scope) is { } aggregate) aggregates.Add(aggregate);
        }
        ValidateAggregateDuplicates(file, loaded, errors);
        // Dynamic routing (Ocelot): /{service}/{everything} per known service, as ordinary routes.
        foreach (var (dynamic, source, at) in DynamicRouteExpansion.Expand(loaded, context, errors))
            if (BuildRoute(dynamic, global, globalIpPolicy, baseUrlConfigured, source, context, new ConfigErrorScope(errors, source.File, at), keys) is { } route)
                routes.Add(route);

        if (errors.Count > 0) return (null, errors);

        // Ocelot: Routes ∪ Aggregates, OrderByDescending(Priority), stable, so equal priorities keep file order.
        var ordered = routes.Cast<MatchTarget>().Concat(aggregates).OrderByDescending(r => r.Priority).ToArray();
        var model = new GatewayModel
        {
            Targets = ordered,
            Routes = [.. routes],
            Aggregates = [.. aggregates],
            Files = loaded.Files,
            AnyUpstreamHost = ordered.Any(r => r.UpstreamHost is not null),
            AnyQueryTemplate = ordered.Any(r => r.Upstream.HasQuery),
            StrippedRequestHeaders = AssertedHeaders.For(routes, context.StripRequestHeaders ?? Hosting.GatewayOptions.DefaultStripRequestHeaders),
            Version = context.Version,
            LoadedAt = context.Now,
        };
        return (model, errors);
    }

    private static void ValidateGlobal(FileGlobalConfiguration global, ModelBuildContext context, bool baseUrlConfigured, ConfigErrorScope errors)
    {
        AuthModelBuilder.ValidateGlobal(global, context, errors);
        LoadBalancerModelBuilder.ValidateGlobal(global, errors);
        ForwardingModelBuilder.ValidateGlobal(global, errors);
        SecurityModelBuilder.ValidateGlobal(global, errors);
        HeaderModelBuilder.ValidateGlobal(global, baseUrlConfigured, errors);
    }

    private static RouteModel? BuildRoute(
        FileRoute r, FileGlobalConfiguration global, IpPolicy? globalIpPolicy, bool baseUrlConfigured, ItemSource source, ModelBuildContext context,
        ConfigErrorScope errors, Dictionary<string, ItemSource> keys)
    {
        var start = errors.Count;
        // The route's id in metrics, logs, cache tags and retry budgets: its Key, else its upstream template.
        var id = string.IsNullOrWhiteSpace(r.Key) ? r.UpstreamPathTemplate ?? "" : r.Key;
        var upstreamParts = RouteTemplateBuilder.PathTemplate("UpstreamPathTemplate", r.UpstreamPathTemplate, errors);
        var downstreamParts = RouteTemplateBuilder.PathTemplate("DownstreamPathTemplate", r.DownstreamPathTemplate, errors);
        RouteTemplateBuilder.Methods(r.UpstreamHttpMethod, errors);
        if (r.DownstreamHttpMethod is { Length: > 0 } dm && !ConfigRules.IsToken(dm)) errors.Add("DownstreamHttpMethod", $"'{dm}' is not an HTTP method");
        if (!string.IsNullOrWhiteSpace(r.Key))
        {
            if (keys.TryGetValue(r.Key, out var first)) errors.Add("Key", $"duplicate Key '{r.Key}' (first used at {first.File}: Routes[{first.Index}])");
            else keys[r.Key] = source;
        }
        if (r.DelegatingHandlers.Count > 0)
            errors.Add("DelegatingHandlers", "custom delegating handlers is not implemented yet by this gateway (unsupported feature: DelegatingHandlers); remove it or wait for the release that adds it");

        var c = new RouteBuildContext(r, global, id, context, errors, downstreamParts, baseUrlConfigured);
        var loadBalancer = LoadBalancerModelBuilder.Build(c);
        var forwarding = ForwardingModelBuilder.Build(c);
        var security = SecurityModelBuilder.Build(c, globalIpPolicy);
        var headers = HeaderModelBuilder.Build(c);
        var headerTemplates = RouteTemplateBuilder.HeaderTemplates(r.UpstreamHeaderTemplates, r.RouteIsCaseSensitive, errors);
        var auth = AuthModelBuilder.Build(c);
        var downstreamToken = Oidc.DownstreamTokenModelBuilder.Build(c, auth);
        var rateLimit = RateLimitModelBuilder.Build(c);
        var cache = CacheModelBuilder.Build(c);
        RouteTemplateBuilder.UniquePlaceholders(r.UpstreamPathTemplate, upstreamParts, headerTemplates, errors);
        if (errors.Count > start || upstreamParts is null || downstreamParts is null) return null;

        var resilience = ResilienceModelBuilder.Build(c);
        var upstream = UpstreamTemplate.Compile(r.UpstreamPathTemplate!, upstreamParts, r.RouteIsCaseSensitive, context.OcelotEmptyPlaceholders);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in global.Metadata ?? []) metadata[k] = v;
        foreach (var (k, v) in r.Metadata ?? []) metadata[k] = v;
        return new RouteModel
        {
            Id = id,
            Key = string.IsNullOrWhiteSpace(r.Key) ? null : r.Key,
            Source = source,
            Upstream = upstream,
            Priority = upstream.IsRootCatchAll ? 0 : r.Priority,
            Methods = r.UpstreamHttpMethod.Count == 0 ? null : [.. r.UpstreamHttpMethod.Select(m => m.ToUpperInvariant()).Distinct()],
            UpstreamHost = string.IsNullOrWhiteSpace(r.UpstreamHost) ? null : r.UpstreamHost,
            HeaderTemplates = headerTemplates,
            Downstream = new DownstreamTemplate(r.DownstreamPathTemplate!, downstreamParts),
            DownstreamScheme = forwarding.Scheme,
            LoadBalancer = loadBalancer,
            Qos = resilience.Qos,
            Retry = resilience.Retry,
            DownstreamMethod = forwarding.Method,
            RequestConfig = ForwardingModelBuilder.RequestConfig(forwarding, resilience.ActivityTimeout),
            Invoker = context.Invokers.Get(forwarding.Invoker, retries: resilience.Retry is not null),
            RequestIdKey = headers.RequestIdKey,
            RequestHeaderTransforms = headers.Request,
            ResponseHeaderTransforms = headers.Response,
            IpPolicy = security.IpPolicy,
            Auth = auth,
            RateLimit = rateLimit,
            Cache = cache,
            MaxRequestBodySize = security.MaxRequestBodySize,
            DownstreamJwtAudience = string.IsNullOrWhiteSpace(r.DownstreamJwtAudience) ? null : r.DownstreamJwtAudience,
            DownstreamToken = downstreamToken,
            BaseUrl = headers.BaseUrl,
            Metadata = metadata,
        };
    }

    private static void ValidateGlobalRouteKeys(FileGlobalConfiguration g, LoadedConfiguration loaded, Dictionary<string, ItemSource> keys, List<ConfigError> errors)
    {
        void Check(string section, List<string>? routeKeys)
        {
            for (var i = 0; i < (routeKeys?.Count ?? 0); i++)
                if (!keys.ContainsKey(routeKeys![i]))
                    errors.Add(new ConfigError(loaded.GlobalSource, $"GlobalConfiguration.{section}.RouteKeys[{i}]", $"no route has the Key '{routeKeys[i]}'"));
        }
        Check("AuthenticationOptions", g.AuthenticationOptions?.RouteKeys);
        Check("CacheOptions", g.CacheOptions?.RouteKeys);
        Check("QoSOptions", g.QoSOptions?.RouteKeys);
        Check("LoadBalancerOptions", g.LoadBalancerOptions?.RouteKeys);
        Check("HttpHandlerOptions", g.HttpHandlerOptions?.RouteKeys);
        Check("RateLimitOptions", g.RateLimitOptions?.RouteKeys);
    }

    /// <summary>Ocelot (schema §4.4): a route with an aggregate's template and host that serves GET, or two
    /// aggregates with the same template and host, are duplicates.</summary>
    private static void ValidateAggregateDuplicates(FileConfiguration file, LoadedConfiguration loaded, List<ConfigError> errors)
    {
        static bool Same(string? t1, string? h1, string? t2, string? h2) =>
            !string.IsNullOrEmpty(t1) && t1 == t2 && string.Equals(h1 ?? "", h2 ?? "", StringComparison.Ordinal);

        for (var i = 0; i < file.Aggregates.Count; i++)
        {
            var a = file.Aggregates[i];
            var source = OcelotFileLoader.SourceOf(loaded.AggregateSources, i, null);
            var at = $"Aggregates[{source.Index}].UpstreamPathTemplate";
            foreach (var r in file.Routes)
            {
                if (!Same(r.UpstreamPathTemplate, r.UpstreamHost, a.UpstreamPathTemplate, a.UpstreamHost)) continue;
                if (r.UpstreamHttpMethod.Count != 0 && !r.UpstreamHttpMethod.Contains("GET", StringComparer.OrdinalIgnoreCase)) continue;
                errors.Add(new ConfigError(source.File, at, $"route {r.UpstreamPathTemplate} has duplicate aggregate"));
                break;
            }
            for (var j = 0; j < i; j++)
            {
                if (!Same(file.Aggregates[j].UpstreamPathTemplate, file.Aggregates[j].UpstreamHost, a.UpstreamPathTemplate, a.UpstreamHost)) continue;
                errors.Add(new ConfigError(source.File, at, $"aggregate {a.UpstreamPathTemplate} has duplicate aggregate"));
                break;
            }
        }
    }

    /// <summary>Ocelot's duplicate rule (schema §4.4): same template, host and header templates, overlapping methods.</summary>
    private static void ValidateDuplicates(List<FileRoute> routes, LoadedConfiguration loaded, List<ConfigError> errors)
    {
        for (var i = 0; i < routes.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var a = routes[j];
                var b = routes[i];
                if (string.IsNullOrEmpty(a.UpstreamPathTemplate) || a.UpstreamPathTemplate != b.UpstreamPathTemplate) continue;
                if (!string.Equals(a.UpstreamHost ?? "", b.UpstreamHost ?? "", StringComparison.Ordinal)) continue;
                if (!SameHeaderTemplates(a.UpstreamHeaderTemplates, b.UpstreamHeaderTemplates)) continue;
                var overlap = a.UpstreamHttpMethod.Count == 0 || b.UpstreamHttpMethod.Count == 0
                    || a.UpstreamHttpMethod.Intersect(b.UpstreamHttpMethod, StringComparer.OrdinalIgnoreCase).Any();
                if (!overlap) continue;
                var source = OcelotFileLoader.SourceOf(loaded.RouteSources, i, null);
                var firstSource = OcelotFileLoader.SourceOf(loaded.RouteSources, j, null);
                errors.Add(new ConfigError(source.File, $"Routes[{source.Index}].UpstreamPathTemplate",
                    $"route {b.UpstreamPathTemplate} has duplicate (same template, host and methods as {firstSource.File}: Routes[{firstSource.Index}])"));
                break;
            }
        }
    }

    private static bool SameHeaderTemplates(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
