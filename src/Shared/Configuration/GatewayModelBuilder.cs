using System.Text;
using System.Text.RegularExpressions;
using Bff.Shared.Aggregation;
using Bff.Shared.Auth;
using Bff.Shared.Caching;
using Bff.Shared.Configuration.File;
using Bff.Shared.Forwarding;
using Bff.Shared.Headers;
using Bff.Shared.RateLimiting;
using Bff.Shared.LoadBalancing;
using Bff.Shared.Routing;
using Bff.Shared.Security;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Configuration;

/// <summary>What building a model needs from the host.</summary>
internal sealed record ModelBuildContext(
    HttpInvokerPool Invokers, Func<string, string?> ConfigurationValue, int Version, DateTimeOffset Now,
    IReadOnlySet<string>? Aggregators = null, IReadOnlySet<string>? AuthenticationSchemes = null, TimeProvider? Time = null,
    bool OcelotEmptyPlaceholders = false, IReadOnlyList<string>? StripRequestHeaders = null);

/// <summary>
/// Validates loaded route files and compiles them into a <see cref="GatewayModel"/>. Every check runs, without
/// short-circuiting, so one start reports every error (file, JSON path, message). Messages follow Ocelot 25's wording
/// where Ocelot has a rule, so they can be searched for.
/// </summary>
internal static partial class GatewayModelBuilder
{
    private const int DefaultTimeoutSeconds = 90;

    [GeneratedRegex(@"^[0-9]([.,][0-9]{1,1})?$")]
    private static partial Regex HttpVersionPattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex Token();

    [GeneratedRegex(@"\{header:([^{}]+)\}", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderPlaceholder();

    private static readonly string[] Schemes = ["http", "https", "ws", "wss"];

    public static (GatewayModel? Model, List<ConfigError> Errors) Build(LoadedConfiguration loaded, ModelBuildContext context)
    {
        var errors = new List<ConfigError>(loaded.Errors);
        if (!loaded.Bound) return (null, errors);

        // Items whose values could not be bound are reported already; everything else is still checked, so one
        // typo does not hide the other errors.
        var file = loaded.File;
        var global = file.GlobalConfiguration;
        ValidateGlobal(global, loaded, context, errors);
        var globalIpPolicy = global.SecurityOptions is { } gs
            ? IpPolicy.Create(gs.IPAllowedList, gs.IPBlockedList, gs.ExcludeAllowedFromBlocked, (index, allowed, message) =>
                errors.Add(new ConfigError(loaded.GlobalSource, $"GlobalConfiguration.SecurityOptions.{(allowed ? "IPAllowedList" : "IPBlockedList")}[{index}]", message)))
            : null;
        var baseUrlConfigured = !string.IsNullOrWhiteSpace(global.BaseUrl) || !string.IsNullOrWhiteSpace(context.ConfigurationValue("BaseUrl"));
        ValidateBaseUrlUse(global.UpstreamHeaderTransform, global.DownstreamHeaderTransform, baseUrlConfigured,
            (property, message) => errors.Add(new ConfigError(loaded.GlobalSource, $"GlobalConfiguration.{property}", message)));

        var keys = new Dictionary<string, ItemSource>(StringComparer.Ordinal);
        var routes = new List<RouteModel>();
        for (var i = 0; i < file.Routes.Count; i++)
        {
            if (loaded.UnboundRoutes.Contains(i)) continue;
            var source = OcelotFileLoader.SourceOf(loaded.RouteSources, i, loaded.Files.Count > 0 ? loaded.Files[^1] : null);
            var route = BuildRoute(file.Routes[i], global, globalIpPolicy, baseUrlConfigured, source, context, errors, keys);
            if (route is not null) routes.Add(route);
        }

        ValidateGlobalRouteKeys(global, loaded, keys, errors);
        ValidateDuplicates(file.Routes, loaded, errors);
        var routesByKey = routes.Where(r => r.Key is not null).ToDictionary(r => r.Key!, StringComparer.Ordinal);
        var aggregates = new List<AggregateModel>();
        for (var i = 0; i < file.Aggregates.Count; i++)
        {
            if (loaded.UnboundAggregates.Contains(i)) continue;
            var source = OcelotFileLoader.SourceOf(loaded.AggregateSources, i, null);
            var aggregate = BuildAggregate(file.Aggregates[i], source, file.Routes, routesByKey, keys, context, errors);
            if (aggregate is not null) aggregates.Add(aggregate);
        }
        ValidateAggregateDuplicates(file, loaded, errors);
        for (var i = 0; i < file.DynamicRoutes.Count; i++)
        {
            var source = OcelotFileLoader.SourceOf(loaded.DynamicRouteSources, i, null);
            errors.Add(new ConfigError(source.File, $"DynamicRoutes[{source.Index}]",
                "dynamic routing needs service discovery, which this gateway does not implement (unsupported feature: DynamicRoutes)"));
        }

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

    private static RouteModel? BuildRoute(
        FileRoute r, FileGlobalConfiguration global, IpPolicy? globalIpPolicy, bool baseUrlConfigured, ItemSource source, ModelBuildContext context,
        List<ConfigError> errors, Dictionary<string, ItemSource> keys)
    {
        var start = errors.Count;
        var at = $"Routes[{source.Index}]";
        void Error(string property, string message) =>
            errors.Add(new ConfigError(source.File, property.Length == 0 ? at : $"{at}.{property}", message));
        // The route's id in metrics, logs, cache tags and retry budgets: its Key, else its upstream template.
        var id = string.IsNullOrWhiteSpace(r.Key) ? r.UpstreamPathTemplate ?? "" : r.Key;

        var upstreamParts = ValidatePathTemplate("UpstreamPathTemplate", r.UpstreamPathTemplate, Error);
        var downstreamParts = ValidatePathTemplate("DownstreamPathTemplate", r.DownstreamPathTemplate, Error);

        for (var m = 0; m < r.UpstreamHttpMethod.Count; m++)
            if (!Token().IsMatch(r.UpstreamHttpMethod[m] ?? ""))
                Error($"UpstreamHttpMethod[{m}]", $"'{r.UpstreamHttpMethod[m]}' is not an HTTP method");
        if (r.DownstreamHttpMethod is { Length: > 0 } dm && !Token().IsMatch(dm))
            Error("DownstreamHttpMethod", $"'{dm}' is not an HTTP method");

        if (!string.IsNullOrWhiteSpace(r.Key))
        {
            if (keys.TryGetValue(r.Key, out var first))
                Error("Key", $"duplicate Key '{r.Key}' (first used at {first.File}: Routes[{first.Index}])");
            else keys[r.Key] = source;
        }

        ValidateUnsupported(r, Error);

        if (!string.IsNullOrWhiteSpace(r.ServiceName) || !string.IsNullOrWhiteSpace(r.ServiceNamespace))
        {
            Error("ServiceName", "service discovery is not implemented by this gateway (unsupported feature: ServiceName); list DownstreamHostAndPorts instead");
        }
        else if (r.DownstreamHostAndPorts.Count == 0)
        {
            Error("DownstreamHostAndPorts", "When not using service discovery DownstreamHostAndPorts must be set and not empty or Ocelot cannot find your service!");
        }
        for (var h = 0; h < r.DownstreamHostAndPorts.Count; h++)
        {
            var hp = r.DownstreamHostAndPorts[h];
            if (string.IsNullOrWhiteSpace(hp.Host))
                Error($"DownstreamHostAndPorts[{h}].Host", "When not using service discovery Host must be set on DownstreamHostAndPorts if you are not using Route.Host or Ocelot cannot find your service!");
            else if (Uri.CheckHostName(hp.Host) == UriHostNameType.Unknown)
                Error($"DownstreamHostAndPorts[{h}].Host", $"'{hp.Host}' is not a host name or IP address");
            if (hp.Port is < 0 or > 65535)
                Error($"DownstreamHostAndPorts[{h}].Port", $"{hp.Port} is not a port number (0-65535)");
        }

        if (!string.IsNullOrEmpty(r.DownstreamScheme) && !Schemes.Contains(r.DownstreamScheme, StringComparer.OrdinalIgnoreCase))
            Error("DownstreamScheme", $"'{r.DownstreamScheme}' is not supported (use http, https, ws or wss)");

        var version = HttpVersion(r.DownstreamHttpVersion, "DownstreamHttpVersion", Error);
        var policy = VersionPolicy(r.DownstreamHttpVersionPolicy, "DownstreamHttpVersionPolicy", Error);

        var lb = Merge(r.LoadBalancerOptions, global.LoadBalancerOptions, global.LoadBalancerOptions?.RouteKeys, r.Key,
            (route, g) => new FileLoadBalancerOptions { Type = Pick(route.Type, g.Type), Key = Pick(route.Key, g.Key), Expiry = route.Expiry ?? g.Expiry });
        var lbType = LoadBalancerType.NoLoadBalancer;
        if (!string.IsNullOrWhiteSpace(lb?.Type))
        {
            if (lb.Type.Equals("CookieStickySessions", StringComparison.OrdinalIgnoreCase))
                Error("LoadBalancerOptions.Type", "CookieStickySessions is not implemented yet by this gateway (unsupported feature: LoadBalancerOptions.Type CookieStickySessions)");
            else if (!Enum.TryParse(lb.Type, ignoreCase: true, out lbType) || !LoadBalancer.KnownTypes.Contains(lb.Type, StringComparer.OrdinalIgnoreCase))
                Error("LoadBalancerOptions.Type", $"unknown load balancer '{lb.Type}' (known: {string.Join(", ", LoadBalancer.KnownTypes)})");
        }

        var handler = Merge(r.HttpHandlerOptions, global.HttpHandlerOptions, global.HttpHandlerOptions?.RouteKeys, r.Key,
            (route, g) => new FileHttpHandlerOptions
            {
                AllowAutoRedirect = route.AllowAutoRedirect ?? g.AllowAutoRedirect,
                MaxConnectionsPerServer = route.MaxConnectionsPerServer ?? g.MaxConnectionsPerServer,
                PooledConnectionLifetimeSeconds = route.PooledConnectionLifetimeSeconds ?? g.PooledConnectionLifetimeSeconds,
                UseCookieContainer = route.UseCookieContainer ?? g.UseCookieContainer,
                UseProxy = route.UseProxy ?? g.UseProxy,
                UseTracing = route.UseTracing ?? g.UseTracing,
            });
        if (handler?.UseCookieContainer == true)
            Error("HttpHandlerOptions.UseCookieContainer", "a cookie container shared by every caller of a route leaks cookies between users; it is deliberately not supported (unsupported feature: UseCookieContainer)");

        // Ocelot: the route's lists when it has any, else the global ones.
        var ipPolicy = r.SecurityOptions is { } so && (so.IPAllowedList.Count > 0 || so.IPBlockedList.Count > 0)
            ? IpPolicy.Create(so.IPAllowedList, so.IPBlockedList, so.ExcludeAllowedFromBlocked,
                (index, allowed, message) => Error($"SecurityOptions.{(allowed ? "IPAllowedList" : "IPBlockedList")}[{index}]", message))
            : globalIpPolicy;
        ValidateBaseUrlUse(r.UpstreamHeaderTransform, r.DownstreamHeaderTransform, baseUrlConfigured, Error);

        var headerTemplates = BuildHeaderTemplates(r.UpstreamHeaderTemplates, r.RouteIsCaseSensitive, Error);
        ValidateHeaderNames(r.UpstreamHeaderTransform, "UpstreamHeaderTransform", Error);
        ValidateHeaderNames(r.DownstreamHeaderTransform, "DownstreamHeaderTransform", Error);
        if (r.RequestIdKey is { Length: > 0 } rid && !Token().IsMatch(rid)) Error("RequestIdKey", $"'{rid}' is not a valid header name");

        var auth = BuildAuth(r, global, downstreamParts, context, Error);
        var rateLimit = BuildRateLimit(r, global, Error);
        var responseCache = BuildCache(r, id, global, Error);
        if (!string.IsNullOrWhiteSpace(r.DownstreamJwtAudience) && auth?.IsAuthenticated != true)
            Error("DownstreamJwtAudience", "a downstream token needs a signed-in user: the route must have AuthenticationOptions");
        var maxBody = r.MaxRequestBodySize ?? global.MaxRequestBodySize;
        if (r.MaxRequestBodySize < 0) Error("MaxRequestBodySize", "must be zero or positive (bytes)");

        if (upstreamParts is not null)
            foreach (var name in TemplateParser.Duplicates(upstreamParts.Concat(headerTemplates.SelectMany(t => t.CaptureNames).Select(n => new TemplatePart(n, true)))))
                Error("UpstreamPathTemplate", $"UpstreamPathTemplate '{r.UpstreamPathTemplate}' has duplicated placeholder '{{{name}}}'");

        if (errors.Count > start || upstreamParts is null || downstreamParts is null) return null;

        var timeout = r.Timeout is > 0 ? r.Timeout.Value : global.Timeout is > 0 ? global.Timeout.Value : DefaultTimeoutSeconds;
        var qos = Resilience.RouteQosModel.Create(Merge(r.QoSOptions, global.QoSOptions, global.QoSOptions?.RouteKeys, r.Key, (route, g) => new FileQoSOptions
        {
            MinimumThroughput = route.MinimumThroughput ?? g.MinimumThroughput,
            ExceptionsAllowedBeforeBreaking = route.ExceptionsAllowedBeforeBreaking ?? g.ExceptionsAllowedBeforeBreaking,
            BreakDuration = route.BreakDuration ?? g.BreakDuration,
            DurationOfBreak = route.DurationOfBreak ?? g.DurationOfBreak,
            FailureRatio = route.FailureRatio ?? g.FailureRatio,
            SamplingDuration = route.SamplingDuration ?? g.SamplingDuration,
            Timeout = route.Timeout ?? g.Timeout,
            TimeoutValue = route.TimeoutValue ?? g.TimeoutValue,
        }));
        // Ocelot stretches the route timeout to twice the QoS timeout when it is not longer, so the QoS timeout is
        // the one that fires: here it is the route's activity timeout.
        var retryOptions = Merge(r.RetryOptions, global.RetryOptions, global.RetryOptions?.RouteKeys, r.Key, (route, g) => new FileRetryOptions
        {
            Count = route.Count ?? g.Count,
            DelayMs = route.DelayMs ?? g.DelayMs,
            MaxDelayMs = route.MaxDelayMs ?? g.MaxDelayMs,
            RetryPutAndDelete = route.RetryPutAndDelete ?? g.RetryPutAndDelete,
            BudgetPercent = route.BudgetPercent ?? g.BudgetPercent,
        });
        var retry = Resilience.RouteRetryModel.Create(id, retryOptions, qos?.Timeout,
            context.Time ?? TimeProvider.System, Error);
        // With retries the QoS timeout limits each attempt (in the retry handler) and the route Timeout the whole.
        var activityTimeout = retry is null ? qos?.Timeout ?? TimeSpan.FromSeconds(timeout) : TimeSpan.FromSeconds(timeout);
        var upstream = UpstreamTemplate.Compile(r.UpstreamPathTemplate!, upstreamParts, r.RouteIsCaseSensitive, context.OcelotEmptyPlaceholders);
        var destinations = r.DownstreamHostAndPorts.Select(hp => new Destination(hp.Host!.Trim(), hp.Port)).ToArray();
        var invokerSettings = new InvokerSettings(
            AllowAutoRedirect: handler?.AllowAutoRedirect ?? false,
            MaxConnectionsPerServer: handler?.MaxConnectionsPerServer is > 0 ? handler.MaxConnectionsPerServer.Value : int.MaxValue,
            PooledConnectionLifetimeSeconds: handler?.PooledConnectionLifetimeSeconds is > 0 ? handler.PooledConnectionLifetimeSeconds.Value : 120,
            UseProxy: handler?.UseProxy ?? false,
            DangerousAcceptAnyServerCertificate: r.DangerousAcceptAnyServerCertificateValidator);

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
            DownstreamScheme = string.IsNullOrEmpty(r.DownstreamScheme) ? null : r.DownstreamScheme.ToLowerInvariant(),
            LoadBalancer = new LoadBalancer(lbType, destinations),
            Qos = qos,
            Retry = retry,
            DownstreamMethod = string.IsNullOrEmpty(r.DownstreamHttpMethod) ? null : r.DownstreamHttpMethod.ToUpperInvariant(),
            RequestConfig = new ForwarderRequestConfig
            {
                // YARP's activity timeout: the wait for the answer and any silence while streaming. WebSocket routes
                // may stay idle for as long as both ends like.
                ActivityTimeout = r.DownstreamScheme?.ToLowerInvariant() is "ws" or "wss" ? System.Threading.Timeout.InfiniteTimeSpan : activityTimeout,
                Version = version,
                VersionPolicy = policy,
                AllowResponseBuffering = false,
            },
            Invoker = context.Invokers.Get(invokerSettings, retries: retry is not null),
            RequestIdKey = string.IsNullOrWhiteSpace(r.RequestIdKey) ? (string.IsNullOrWhiteSpace(global.RequestIdKey) ? null : global.RequestIdKey) : r.RequestIdKey,
            RequestHeaderTransforms = HeaderTransform.Merge(r.UpstreamHeaderTransform, global.UpstreamHeaderTransform),
            ResponseHeaderTransforms = HeaderTransform.Merge(r.DownstreamHeaderTransform, global.DownstreamHeaderTransform),
            IpPolicy = ipPolicy,
            Auth = auth,
            RateLimit = rateLimit,
            Cache = responseCache,
            MaxRequestBodySize = maxBody,
            DownstreamJwtAudience = string.IsNullOrWhiteSpace(r.DownstreamJwtAudience) ? null : r.DownstreamJwtAudience,
            BaseUrl = string.IsNullOrWhiteSpace(global.BaseUrl) ? context.ConfigurationValue("BaseUrl") is { Length: > 0 } b ? b : null : global.BaseUrl,
            Metadata = metadata,
        };
    }

    private static string? Pick(string? route, string? global) => string.IsNullOrEmpty(route) ? global : route;

    /// <summary>Ocelot 24.1+ global ↔ route merge (schema §3.1).</summary>
    private static T? Merge<T, TGlobal>(T? route, TGlobal? global, List<string>? routeKeys, string? key, Func<T, TGlobal, T> merge)
        where T : class where TGlobal : class, T
    {
        var isGlobal = routeKeys is null || routeKeys.Count == 0 || (key is not null && routeKeys.Contains(key));
        if (route is null) return isGlobal ? global : null;
        if (global is null || !isGlobal) return route;
        return merge(route, global);
    }

    private static List<TemplatePart>? ValidatePathTemplate(string property, string? template, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            error(property, $"{property} cannot be empty");
            return null;
        }
        var ok = true;
        if (!template.StartsWith('/')) { error(property, $"{property} {template} doesnt start with forward slash"); ok = false; }
        if (template.Contains("//", StringComparison.Ordinal) && !template.Contains("://", StringComparison.Ordinal))
        { error(property, $"{property} {template} contains double forward slash, Ocelot does not support this at the moment. Please raise an issue in GitHib if you need this feature."); ok = false; }
        if (template.Contains("://", StringComparison.Ordinal)) { error(property, $"{property} {template} contains scheme"); ok = false; }
        var parts = TemplateParser.Parse(template, out var parseError);
        if (parts is null) { error(property, parseError!); return null; }
        if (property == "DownstreamPathTemplate")
            foreach (var name in TemplateParser.Duplicates(parts))
                error(property, $"DownstreamPathTemplate '{template}' has duplicated placeholder '{{{name}}}'");
        return ok ? parts : null;
    }

    private static Version HttpVersion(string? text, string property, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(text)) return System.Net.HttpVersion.Version11;
        if (!HttpVersionPattern().IsMatch(text))
        {
            error(property, $"'{text}' is not a valid HTTP version (e.g. 1.1, 2.0)");
            return System.Net.HttpVersion.Version11;
        }
        return System.Version.TryParse(text.Replace(',', '.'), out var v) ? (v.Minor < 0 ? new Version(v.Major, 0) : v) :
            text.Length == 1 ? new Version(text[0] - '0', 0) : System.Net.HttpVersion.Version11;
    }

    private static HttpVersionPolicy VersionPolicy(string? text, string property, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(text)) return HttpVersionPolicy.RequestVersionOrLower;
        if (Enum.TryParse<HttpVersionPolicy>(text, ignoreCase: false, out var policy) && Enum.IsDefined(policy)) return policy;
        error(property, $"'{text}' is not one of RequestVersionExact, RequestVersionOrLower, RequestVersionOrHigher");
        return HttpVersionPolicy.RequestVersionOrLower;
    }

    private static HeaderTemplate[] BuildHeaderTemplates(Dictionary<string, string> templates, bool caseSensitive, Action<string, string> error)
    {
        var result = new List<HeaderTemplate>();
        var options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | (caseSensitive ? 0 : RegexOptions.IgnoreCase);
        foreach (var (header, value) in templates)
        {
            if (!Token().IsMatch(header)) { error($"UpstreamHeaderTemplates.{header}", $"'{header}' is not a valid header name"); continue; }
            var pattern = new StringBuilder("^");
            var names = new List<string>();
            var last = 0;
            foreach (Match m in HeaderPlaceholder().Matches(value ?? ""))
            {
                pattern.Append(Regex.Escape(value![last..m.Index]));
                pattern.Append($"(?<h{names.Count}>.+)");
                names.Add(m.Groups[1].Value.Trim());
                last = m.Index + m.Length;
            }
            var rest = (value ?? "")[last..];
            if (rest.Contains('{') || rest.Contains('}'))
            {
                error($"UpstreamHeaderTemplates.{header}", $"'{value}' has a placeholder that is not of the form {{header:name}}");
                continue;
            }
            pattern.Append(Regex.Escape(rest)).Append('$');
            result.Add(new HeaderTemplate(header, new Regex(pattern.ToString(), options, UpstreamTemplate.MatchTimeout), [.. names]));
        }
        return [.. result];
    }

    /// <summary>CacheOptions (legacy FileCacheOptions wins) merged with the global section by Ocelot's rule (§3.1).</summary>
    private static RouteCacheModel? BuildCache(FileRoute r, string routeId, FileGlobalConfiguration global, Action<string, string> error)
    {
        var route = r.FileCacheOptions ?? r.CacheOptions;
        var property = r.FileCacheOptions is not null ? "FileCacheOptions" : "CacheOptions";
        var merged = Merge<FileCacheOptions, FileGlobalCacheOptions>(route, global.CacheOptions, global.CacheOptions?.RouteKeys, r.Key, (own, g) => new FileCacheOptions
        {
            TtlSeconds = own.TtlSeconds ?? g.TtlSeconds,
            Region = string.IsNullOrWhiteSpace(own.Region) ? g.Region : own.Region,
            Header = string.IsNullOrWhiteSpace(own.Header) ? g.Header : own.Header,
            EnableContentHashing = own.EnableContentHashing ?? g.EnableContentHashing,
            Shared = own.Shared ?? g.Shared,
            StaleIfErrorSeconds = own.StaleIfErrorSeconds ?? g.StaleIfErrorSeconds,
        });
        if (merged is null) return null;
        if (merged.TtlSeconds < 0) error($"{property}.TtlSeconds", "must be zero (off) or positive");
        if (merged.StaleIfErrorSeconds < 0) error($"{property}.StaleIfErrorSeconds", "must be zero or positive");
        if (merged.TtlSeconds is not > 0) return null; // Ocelot: 0 = off
        var region = string.IsNullOrWhiteSpace(merged.Region) ? routeId : merged.Region;
        return new RouteCacheModel(TimeSpan.FromSeconds(merged.TtlSeconds.Value), region,
            string.IsNullOrWhiteSpace(merged.Header) ? "OC-Cache-Control" : merged.Header,
            merged.EnableContentHashing ?? false, merged.Shared ?? false, TimeSpan.FromSeconds(merged.StaleIfErrorSeconds ?? 300))
        {
            Tags = [ResponseCache.RegionTag(region), ResponseCache.RouteTag(routeId)],
        };
    }

    /// <summary>
    /// RateLimitOptions merged with the global section by Ocelot's rule (§3.1; a global section without RouteKeys
    /// applies to every route that has none of its own), legacy names winning as in Ocelot, plus our extensions
    /// (Algorithm, Limits).
    /// </summary>
    private static RouteRateLimitModel? BuildRateLimit(FileRoute r, FileGlobalConfiguration global, Action<string, string> error)
    {
        var g = global.RateLimitOptions;
        var isGlobal = g?.RouteKeys is null or { Count: 0 } || (r.Key is not null && g.RouteKeys.Contains(r.Key));
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
        if (limit is not > 0) error($"{at}.Limit", $"RateLimitOptions.Limit is negative or zero for the route {r.UpstreamPathTemplate}");
        if (!RateLimitPeriod.TryParse(periodText, out var period) || period < TimeSpan.FromMilliseconds(1))
            error($"{at}.Period", "RateLimitOptions.Period does not contain integer then ms (millisecond), s (second), m (minute), h (hour), d (day) notation (at least 1ms)");
        var wait = TimeSpan.Zero;
        var waitSeconds = PickValue(o => o.PeriodTimespan);
        var waitText = Pick(o => o.PeriodTimespan is not null || string.IsNullOrWhiteSpace(o.Wait) ? null : o.Wait);
        if (route?.PeriodTimespan is { } routeSeconds) wait = TimeSpan.FromSeconds(routeSeconds);
        else if (route?.Wait is { Length: > 0 } routeWait) { if (!RateLimitPeriod.TryParse(routeWait, out wait)) error($"{at}.Wait", $"'{routeWait}' is not a period (e.g. 500ms, 10s)"); }
        else if (waitSeconds is { } seconds) wait = TimeSpan.FromSeconds(seconds);
        else if (waitText is not null && !RateLimitPeriod.TryParse(waitText, out wait)) error($"{at}.Wait", $"'{waitText}' is not a period (e.g. 500ms, 10s)");
        var algorithm = RateLimitAlgorithm.FixedWindow;
        if (Pick(o => o.Algorithm) is { } algorithmText && (!Enum.TryParse(algorithmText, ignoreCase: true, out algorithm) || !Enum.IsDefined(algorithm)))
            error($"{at}.Algorithm", $"'{algorithmText}' is not FixedWindow, SlidingWindow or TokenBucket");

        var rules = new List<RateLimitRule> { new("default", limit ?? 1, period, wait, algorithm) };
        var extras = route?.Limits ?? (isGlobal ? g?.Limits : null) ?? [];
        for (var i = 0; i < extras.Count; i++)
        {
            var extra = extras[i];
            if (extra.Limit is not > 0) error($"{at}.Limits[{i}].Limit", "must be positive");
            if (!RateLimitPeriod.TryParse(extra.Period, out var extraPeriod) || extraPeriod < TimeSpan.FromMilliseconds(1)) error($"{at}.Limits[{i}].Period", $"'{extra.Period}' is not a period (e.g. 1s, 1d)");
            var name = string.IsNullOrWhiteSpace(extra.Name) ? $"limit{i + 1}" : extra.Name;
            if (!Token().IsMatch(name) || name.Contains('"') || name.Length > 40) error($"{at}.Limits[{i}].Name", $"'{name}' is not a policy name (letters, digits, - and _)");
            rules.Add(new RateLimitRule(name, extra.Limit ?? 1, extraPeriod, TimeSpan.Zero, algorithm));
        }
        static int? Status(FileRateLimitByHeaderRule o) => o.HttpStatusCode ?? o.StatusCode;
        static bool? Headers(FileRateLimitByHeaderRule o) => o.DisableRateLimitHeaders is { } disabled ? !disabled : o.EnableHeaders;
        static string? Message(FileRateLimitByHeaderRule o) => o.QuotaExceededMessage ?? o.QuotaMessage;
        static string? Prefix(FileRateLimitByHeaderRule o) => o.RateLimitCounterPrefix ?? o.KeyPrefix;
        var status = PickValue(Status) ?? 429;
        if (status is < 400 or > 599) error($"{at}.StatusCode", $"{status} is not an error status");
        var message = Pick(Message) ?? "API calls quota exceeded! Maximum admitted {0} per {1}.";
        try { _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, message, 1, "1s"); }
        catch (FormatException) { error($"{at}.QuotaMessage", $"'{message}' is not a valid message ({{0}} is the limit, {{1}} the period; write {{{{ and }}}} for braces)"); }
        var headers = PickValue(Headers) ?? true;
        return new RouteRateLimitModel(
            [.. rules],
            [.. Pick(o => o.ClientWhitelist) ?? []],
            Pick(o => string.IsNullOrWhiteSpace(o.ClientIdHeader) ? null : o.ClientIdHeader) ?? "Oc-Client",
            status,
            message,
            headers,
            Pick(Prefix) ?? "Ocelot.RateLimiting");
    }

    private static string SchemeList(ModelBuildContext context) =>
        context.AuthenticationSchemes is { Count: > 0 } schemes ? string.Join(", ", schemes.Order(StringComparer.Ordinal)) : "none";

    /// <summary>
    /// AuthenticationOptions (merged with the global section by Ocelot's rule, §3.1), RouteClaimsRequirement and the
    /// claims-to-* dictionaries. Ocelot ignores a malformed claim expression; here it is an error.
    /// </summary>
    private static RouteAuthModel? BuildAuth(FileRoute r, FileGlobalConfiguration global, List<TemplatePart>? downstreamParts, ModelBuildContext context, Action<string, string> error)
    {
        var options = Merge<FileAuthenticationOptions, FileGlobalAuthenticationOptions>(r.AuthenticationOptions, global.AuthenticationOptions,
            global.AuthenticationOptions?.RouteKeys, r.Key, (route, g) => new FileAuthenticationOptions
            {
                AuthenticationProviderKey = route.AuthenticationProviderKey ?? (route.AuthenticationProviderKeys is { Count: > 0 } ? null : g.AuthenticationProviderKey),
                AuthenticationProviderKeys = route.AuthenticationProviderKeys is { Count: > 0 } || route.AuthenticationProviderKey is not null ? route.AuthenticationProviderKeys : g.AuthenticationProviderKeys,
                AllowedScopes = route.AllowedScopes is { Count: > 0 } ? route.AllowedScopes : g.AllowedScopes,
                AllowAnonymous = route.AllowAnonymous ?? g.AllowAnonymous,
            });
        var schemes = options is null || options.AllowAnonymous == true ? [] : options.AllKeys().Distinct().ToArray();
        if (ReferenceEquals(options, r.AuthenticationOptions) || r.AuthenticationOptions is not null)
            foreach (var scheme in schemes.Where(s => context.AuthenticationSchemes?.Contains(s) != true))
                error("AuthenticationOptions", $"AuthenticationOptions: {scheme} is unsupported authentication provider (registered schemes: {SchemeList(context)})");

        (string, ClaimExpression)[] Expressions(Dictionary<string, string> entries, string property)
        {
            var parsed = new List<(string, ClaimExpression)>();
            foreach (var (name, text) in entries)
            {
                var expression = ClaimExpression.Parse(text ?? "", out var message);
                if (expression is null) error($"{property}.{name}", message!);
                else parsed.Add((name, expression));
            }
            return [.. parsed];
        }

        var changePath = Expressions(r.ChangeDownstreamPathTemplate, "ChangeDownstreamPathTemplate");
        foreach (var (placeholder, _) in changePath)
            if (downstreamParts is not null && !downstreamParts.Any(p => p.IsPlaceholder && p.Text == placeholder))
                error($"ChangeDownstreamPathTemplate.{placeholder}", $"DownstreamPathTemplate has no placeholder {{{placeholder}}}");
        ValidateHeaderNames(r.AddHeadersToRequest, "AddHeadersToRequest", error);

        var model = new RouteAuthModel(
            schemes,
            options?.AllowAnonymous == true ? [] : [.. options?.AllowedScopes ?? []],
            [.. r.RouteClaimsRequirement.Select(kv => (kv.Key, kv.Value))],
            Expressions(r.AddClaimsToRequest, "AddClaimsToRequest"),
            Expressions(r.AddHeadersToRequest, "AddHeadersToRequest"),
            Expressions(r.AddQueriesToRequest, "AddQueriesToRequest"),
            changePath);
        return model.UsesClaims ? model : null;
    }

    /// <summary>{BaseUrl} needs a configured BaseUrl: falling back to the request's Host would let a client choose
    /// what a rewritten Location header points at.</summary>
    private static void ValidateBaseUrlUse(Dictionary<string, string> upstream, Dictionary<string, string> downstream, bool configured, Action<string, string> error)
    {
        if (configured) return;
        foreach (var (property, transforms) in new[] { ("UpstreamHeaderTransform", upstream), ("DownstreamHeaderTransform", downstream) })
            foreach (var (header, value) in transforms)
                if (value?.Contains("{BaseUrl}", StringComparison.Ordinal) == true)
                    error($"{property}.{header}", "uses {BaseUrl}, but GlobalConfiguration.BaseUrl is not set");
    }

    private static void ValidateHeaderNames(Dictionary<string, string> headers, string property, Action<string, string> error)
    {
        foreach (var name in headers.Keys)
            if (!Token().IsMatch(name)) error($"{property}.{name}", $"'{name}' is not a valid header name");
    }

    private static void ValidateUnsupported(FileRoute r, Action<string, string> error)
    {
        static string Unsupported(string feature, string what) =>
            $"{what} is not implemented yet by this gateway (unsupported feature: {feature}); remove it or wait for the release that adds it";

        if (r.DelegatingHandlers.Count > 0) error("DelegatingHandlers", Unsupported("DelegatingHandlers", "custom delegating handlers"));
    }

    private static void ValidateGlobal(FileGlobalConfiguration g, LoadedConfiguration loaded, ModelBuildContext context, List<ConfigError> errors)
    {
        void Error(string property, string message) =>
            errors.Add(new ConfigError(loaded.GlobalSource, $"GlobalConfiguration.{property}", message));

        if (g.AuthenticationOptions is { } auth)
            foreach (var key in auth.AllKeys().Where(k => context.AuthenticationSchemes?.Contains(k) != true))
                Error("AuthenticationOptions", $"AuthenticationOptions: {key} is unsupported authentication provider (registered schemes: {SchemeList(context)})");
        if (g.ServiceDiscoveryProvider?.IsConfigured == true)
            Error("ServiceDiscoveryProvider", "service discovery is not implemented by this gateway (unsupported feature: ServiceDiscoveryProvider)");
        if (g.HttpHandlerOptions?.UseCookieContainer == true)
            Error("HttpHandlerOptions.UseCookieContainer", "a cookie container shared by every caller leaks cookies between users; it is deliberately not supported (unsupported feature: UseCookieContainer)");
        if (!string.IsNullOrWhiteSpace(g.BaseUrl) && !Uri.TryCreate(g.BaseUrl, UriKind.Absolute, out _))
            Error("BaseUrl", $"'{g.BaseUrl}' is not an absolute URL");
        if (g.MaxRequestBodySize < 0) Error("MaxRequestBodySize", "must be zero or positive (bytes)");
        if (g.RequestIdKey is { Length: > 0 } rid && !Token().IsMatch(rid)) Error("RequestIdKey", $"'{rid}' is not a valid header name");
        if (!string.IsNullOrWhiteSpace(g.DownstreamHttpVersion)) HttpVersion(g.DownstreamHttpVersion, "DownstreamHttpVersion", Error);
        if (!string.IsNullOrWhiteSpace(g.DownstreamHttpVersionPolicy)) VersionPolicy(g.DownstreamHttpVersionPolicy, "DownstreamHttpVersionPolicy", Error);
        ValidateHeaderNames(g.UpstreamHeaderTransform, "UpstreamHeaderTransform", Error);
        ValidateHeaderNames(g.DownstreamHeaderTransform, "DownstreamHeaderTransform", Error);
        if (!string.IsNullOrWhiteSpace(g.LoadBalancerOptions?.Type)
            && !LoadBalancer.KnownTypes.Contains(g.LoadBalancerOptions.Type, StringComparer.OrdinalIgnoreCase)
            && !g.LoadBalancerOptions.Type.Equals("CookieStickySessions", StringComparison.OrdinalIgnoreCase))
            Error("LoadBalancerOptions.Type", $"unknown load balancer '{g.LoadBalancerOptions.Type}' (known: {string.Join(", ", LoadBalancer.KnownTypes)})");
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

    private static AggregateModel? BuildAggregate(
        FileAggregateRoute a, ItemSource source, List<FileRoute> fileRoutes, Dictionary<string, RouteModel> routesByKey,
        Dictionary<string, ItemSource> keys, ModelBuildContext context, List<ConfigError> errors)
    {
        var start = errors.Count;
        var at = $"Aggregates[{source.Index}]";
        void Error(string property, string message) =>
            errors.Add(new ConfigError(source.File, property.Length == 0 ? at : $"{at}.{property}", message));

        var upstreamParts = ValidatePathTemplate("UpstreamPathTemplate", a.UpstreamPathTemplate, Error);
        var methods = a.UpstreamHttpMethod is { Count: > 0 } m ? m : ["GET"];
        for (var i = 0; i < methods.Count; i++)
            if (!Token().IsMatch(methods[i] ?? "")) Error($"UpstreamHttpMethod[{i}]", $"'{methods[i]}' is not an HTTP method");
        var headerTemplates = BuildHeaderTemplates(a.UpstreamHeaderTemplates, a.RouteIsCaseSensitive, Error);

        if (a.RouteKeys.Count == 0) Error("RouteKeys", "an aggregate needs at least one RouteKey");
        var missing = a.RouteKeys.Where(k => !keys.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            Error("RouteKeys", $"Routes for aggregateRoute {a.UpstreamPathTemplate} either do not exist or do not have correct ServiceName property (no route has the Key {string.Join(", ", missing.Select(k => $"'{k}'"))})");
        foreach (var duplicate in a.RouteKeys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
            Error("RouteKeys", $"'{duplicate.Key}' is listed more than once");
        if (fileRoutes.Any(r => r.Key is not null && a.RouteKeys.Contains(r.Key) && !string.IsNullOrWhiteSpace(r.RequestIdKey)))
            Error("RouteKeys", $"aggregateRoute {a.UpstreamPathTemplate} contains Route with specific RequestIdKey, this is not possible with Aggregates");

        var configs = new Dictionary<string, (JsonPathQuery Query, string Parameter)>(StringComparer.Ordinal);
        for (var i = 0; i < a.RouteKeysConfig.Count; i++)
        {
            var c = a.RouteKeysConfig[i];
            var property = $"RouteKeysConfig[{i}]";
            if (string.IsNullOrWhiteSpace(c.RouteKey) || !a.RouteKeys.Contains(c.RouteKey))
            { Error($"{property}.RouteKey", $"'{c.RouteKey}' is not one of this aggregate's RouteKeys"); continue; }
            if (a.RouteKeys.Count > 0 && c.RouteKey == a.RouteKeys[0])
            { Error($"{property}.RouteKey", "the first RouteKey feeds the others and cannot itself be chained"); continue; }
            if (string.IsNullOrWhiteSpace(c.Parameter)) { Error($"{property}.Parameter", "Parameter (the placeholder name to fill) is required"); continue; }
            var query = JsonPathQuery.Parse(c.JsonPath ?? "", out var pathError);
            if (query is null || string.IsNullOrWhiteSpace(c.JsonPath)) { Error($"{property}.JsonPath", pathError ?? "JsonPath is required"); continue; }
            if (!configs.TryAdd(c.RouteKey, (query, c.Parameter))) Error($"{property}.RouteKey", $"'{c.RouteKey}' is configured twice");
        }

        var mode = AggregateFailureMode.Partial;
        if (!string.IsNullOrWhiteSpace(a.FailureMode) && (!Enum.TryParse(a.FailureMode, ignoreCase: true, out mode) || !Enum.IsDefined(mode)))
            Error("FailureMode", $"'{a.FailureMode}' is not Partial or Strict");
        foreach (var key in a.Required.Where(k => !a.RouteKeys.Contains(k)))
            Error("Required", $"'{key}' is not one of this aggregate's RouteKeys");
        if (a.TimeoutMs is <= 0) Error("TimeoutMs", "must be a positive number of milliseconds");
        if (a.MaxFanOut is <= 0) Error("MaxFanOut", "must be positive");
        if (a.MaxResponseBytes is <= 0) Error("MaxResponseBytes", "must be positive");
        foreach (var header in a.CopyHeaders.Where(h => !Token().IsMatch(h ?? "")))
            Error("CopyHeaders", $"'{header}' is not a valid header name");
        if (!string.IsNullOrWhiteSpace(a.Aggregator) && context.Aggregators?.Contains(a.Aggregator) != true)
            Error("Aggregator", $"no aggregator named '{a.Aggregator}' is registered (AddBffAggregator<T>(\"{a.Aggregator}\"))");

        if (upstreamParts is not null)
            foreach (var name in TemplateParser.Duplicates(upstreamParts.Concat(headerTemplates.SelectMany(t => t.CaptureNames).Select(n => new TemplatePart(n, true)))))
                Error("UpstreamPathTemplate", $"UpstreamPathTemplate '{a.UpstreamPathTemplate}' has duplicated placeholder '{{{name}}}'");

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
            Parts = [.. a.RouteKeys.Select(k => configs.TryGetValue(k, out var c)
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
