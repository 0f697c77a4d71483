using Bff.Shared.Forwarding;
using Bff.Shared.Routing;
using Bff.Shared.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ZiggyCreatures.Caching.Fusion;

namespace Bff.Shared.Caching;

/// <summary>
/// The route-level response cache (Ocelot's CacheOptions). Safe by default: only GET/HEAD, only 200/203/204/301/404,
/// never a response with Set-Cookie or Cache-Control no-store/private, and on authenticated routes one entry per
/// identity unless the route says <c>Shared</c> (a caller without a stable id is never cached there). The key is the
/// downstream request (<see cref="ResponseCacheKey"/>); the backend's <c>Vary</c> headers join it (the names are kept
/// in a rule entry next to the entries), and <c>Vary: *</c> is never stored. Concurrent misses for one key make one downstream call; when the
/// downstream fails, an entry up to <c>StaleIfErrorSeconds</c> past its TTL is served instead. Every answer of a
/// cached route says <c>X-Cache: HIT|MISS|STALE|BYPASS</c> and <c>Age</c>. A hit never reaches the forwarder.
/// </summary>
internal sealed partial class RouteCacheMiddleware(RequestDelegate next, ResponseCache cache, TimeProvider time, Observability.GatewayMetrics metrics,
    GatewayTransformer transformer, ILogger<RouteCacheMiddleware> logger)
{
    private const long MaxBody = 8 * 1024 * 1024;
    private static readonly int[] CacheableStatuses = [200, 203, 204, 301, 404];
    private static readonly string[] KeptHeaders =
        ["Content-Type", "Content-Encoding", "Content-Language", "Content-Disposition", "ETag", "Last-Modified", "Cache-Control", "Expires", "Vary", "Location"];

    public Task InvokeAsync(HttpContext context) =>
        // A route without CacheOptions: straight on, without an async step of its own.
        context.Features.Get<GatewayFeature>()!.Route is { Cache: { } model } route ? CacheAsync(context, route, model) : next(context);

    private async Task CacheAsync(HttpContext context, RouteModel route, RouteCacheModel model)
    {
        await InvokeCoreAsync(context, route, model);
        // Cache results by route: hit, miss, stale, bypass (the X-Cache value this request got).
        if (context.Response.Headers["X-Cache"] is { Count: 1 } result)
            metrics.CacheResult(route.Id, result.ToString() switch { "HIT" => "hit", "MISS" => "miss", "STALE" => "stale", "BYPASS" => "bypass", var other => other.ToLowerInvariant() });
    }

    /// <summary>The entry's key, or null when the request is not served from the cache (already passed on).</summary>
    private async Task<CacheLookup?> LookupAsync(HttpContext context, RouteModel route, RouteCacheModel model)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            await next(context);
            return null;
        }
        if (request.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
        {
            await Bypass(context);
            return null;
        }

        var feature = context.Features.Get<GatewayFeature>()!;
        if (ResponseCacheKey.Of(context, feature, model, transformer) is not { } baseKey)
        {
            Log.NoStableIdentity(logger, route.Id);
            await Bypass(context);
            return null;
        }
        var ruleKey = ResponseCacheKey.RuleKey(baseKey);
        var rule = await cache.Cache.TryGetAsync<string>(ruleKey, token: context.RequestAborted);
        var assumed = rule.HasValue ? ResponseCacheKey.ParseRule(rule.Value) : [];
        if (ResponseCacheKey.WithVary(baseKey, assumed, context, feature, transformer) is not { } key)
        {
            await Bypass(context); // the backend varies by a header the gateway decides per call
            return null;
        }
        return new CacheLookup(feature, baseKey, ruleKey, rule.HasValue, assumed, key);
    }

    /// <summary>Where a request's entry is: its key before and after the Vary rule, and that rule.</summary>
    private sealed record CacheLookup(GatewayFeature Feature, string BaseKey, string RuleKey, bool HasRule, string[] Assumed, string Key);

    private async Task InvokeCoreAsync(HttpContext context, RouteModel route, RouteCacheModel model)
    {
        if (await LookupAsync(context, route, model) is not { } lookup) return;
        var (feature, baseKey, ruleKey, hasRule, assumed, key) = lookup;
        CachedResponse? made = null;
        string[]? learned = null; // the response varies by other headers than the key holds
        string? learnedKey = null;
        var options = EntryOptions(model);
        CachedResponse entry;
        try
        {
            entry = await cache.Cache.GetOrSetAsync<CachedResponse>(key, async (factory, _) =>
            {
                made = await CaptureAsync(context);
                if (made.Status >= 500) return factory.Fail("the downstream failed"); // stale-if-error
                var vary = made.Uncacheable || !Cacheable(made) ? null : ResponseCacheKey.VaryNames(made);
                if (vary is not null && !vary.AsSpan().SequenceEqual(assumed))
                {
                    learnedKey = ResponseCacheKey.WithVary(baseKey, vary, context, feature, transformer);
                    if (learnedKey is null) vary = null;
                    else learned = vary;
                }
                if (vary is null || learned is not null)
                {
                    // Not storable, or not under this key (it lacks a Vary header's value): stored under its own below.
                    factory.Options.SkipMemoryCacheWrite = true;
                    factory.Options.SkipDistributedCacheWrite = true;
                    return made with { Uncacheable = true };
                }
                if (!hasRule) await cache.Cache.SetAsync(ruleKey, "", RuleOptions(model), model.Tags, token: context.RequestAborted);
                return made;
            }, options: options, tags: model.Tags, token: context.RequestAborted);
        }
        catch (Exception) when (made is not null && !context.RequestAborted.IsCancellationRequested)
        {
            // The downstream failed and nothing stale was there: its own answer goes out.
            await SendOwnAsync(context, made, "MISS");
            return;
        }

        if (made is not null && (ReferenceEquals(entry, made) || entry.Uncacheable && entry.StoredAt == made.StoredAt))
        {
            if (learned is not null)
            {
                // The Vary names go first: a lookup never finds this entry without them in its key.
                await cache.Cache.SetAsync(ruleKey, ResponseCacheKey.FormatRule(learned), RuleOptions(model), model.Tags, token: context.RequestAborted);
                await cache.Cache.SetAsync(learnedKey!, made, options, model.Tags, token: context.RequestAborted);
            }
            await SendOwnAsync(context, made, entry.Uncacheable && learned is null ? "BYPASS" : "MISS");
            return;
        }
        if (entry.Uncacheable)
        {
            // Another caller's response that may not be shared (e.g. it set a cookie): make our own call.
            await Bypass(context);
            return;
        }
        var stale = made is not null || entry.StoredAt + model.Ttl < time.GetUtcNow();
        await SendStoredAsync(context, entry, stale ? "STALE" : "HIT");
    }

    private static bool Cacheable(CachedResponse response) =>
        CacheableStatuses.Contains(response.Status)
        && !(response.Headers.TryGetValue("Cache-Control", out var cc) && cc.Any(v => v.Contains("no-store", StringComparison.OrdinalIgnoreCase) || v.Contains("private", StringComparison.OrdinalIgnoreCase)));

    private static FusionCacheEntryOptions EntryOptions(RouteCacheModel model) => new()
    {
        Duration = model.Ttl,
        IsFailSafeEnabled = model.StaleIfError > TimeSpan.Zero,
        FailSafeMaxDuration = model.Ttl + model.StaleIfError,
        FailSafeThrottleDuration = TimeSpan.FromSeconds(5),
    };

    /// <summary>A Vary rule lives as long as the entries it describes may be served.</summary>
    private static FusionCacheEntryOptions RuleOptions(RouteCacheModel model) => new() { Duration = model.Ttl + model.StaleIfError };

    /// <summary>Runs the rest of the route pipeline (the forwarder) into a buffer; a body over 8 MiB streams through
    /// to the client instead and is not stored.</summary>
    private async Task<CachedResponse> CaptureAsync(HttpContext context)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var capture = new CaptureStream(new CacheCapturePolicy(context, original, MaxBody));
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(capture));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
        }
        var response = context.Response;
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in KeptHeaders)
            if (response.Headers.TryGetValue(name, out var values)) headers[name] = [.. values.Where(v => v is not null).Select(v => v!)];
        var uncacheable = capture.StreamedThrough || response.Headers.ContainsKey("Set-Cookie");
        return new CachedResponse(response.StatusCode, headers, capture.ToArray(), time.GetUtcNow()) { Uncacheable = uncacheable || capture.StreamedThrough };
    }

    /// <summary>This request made the response: its status and headers are on the response already.</summary>
    private static async Task SendOwnAsync(HttpContext context, CachedResponse response, string result)
    {
        if (context.Response.HasStarted) return; // streamed through (too large to store)
        context.Response.Headers["X-Cache"] = result;
        context.Response.Headers.Age = "0";
        if (response.Body.Length > 0) await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private async Task SendStoredAsync(HttpContext context, CachedResponse entry, string result)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = entry.Status;
        foreach (var (name, values) in entry.Headers) response.Headers[name] = values;
        response.Headers["X-Cache"] = result;
        response.Headers.Age = ((long)Math.Max(0, (time.GetUtcNow() - entry.StoredAt).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentLength = entry.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && entry.Body.Length > 0) await response.Body.WriteAsync(entry.Body, context.RequestAborted);
    }

    private async Task Bypass(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["X-Cache"] = "BYPASS";
            context.Response.Headers.Age = "0";
            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>Buffers up to a limit; past it, sends what it has and streams the rest straight to the client.</summary>
    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.NoStableIdentity, LogLevel.Debug, "Response cache bypassed on route {RouteId}: the caller has no stable id (no client id, no sub)")]
        public static partial void NoStableIdentity(ILogger logger, string routeId);
    }
}
