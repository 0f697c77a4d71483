using Bff.Shared.Aggregation;
using Bff.Shared.Caching;
using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;
using Bff.Shared.Health;
using Bff.Shared.Observability;
using Bff.Shared.RateLimiting;
using Microsoft.Extensions.Configuration;
using Bff.Shared.Hosting;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ZiggyCreatures.Caching.Fusion;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Ocelot-format gateway engine: route files from <c>Gateway:ConfigPath</c> (default
    /// <c>ocelot/&lt;bff&gt;</c>), validated at start and reloaded on change, forwarded with YARP.
    /// </summary>
    /// <param name="bff">The name of this BFF (web, mobile, partner).</param>
    public static IHostApplicationBuilder AddBffGateway(this IHostApplicationBuilder builder, string bff)
    {
        var services = builder.Services;
        StartupLogFilter.Add(builder); // a failed start is one sentence from RunBffAsync, not a logged stack trace
        services.AddOptions<GatewayOptions>()
            .Configure(o => o.Name = bff)
            .BindConfiguration(GatewayOptions.SectionName);
        // Kestrel reads only endpoints and certificates from "Kestrel"; bind its limits too (Kestrel:Limits:*),
        // so header and body size limits are ordinary configuration.
        services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpForwarder();
        // No default scheme, ever: ASP.NET Core would otherwise make a lone registered scheme (e.g. ApiKey) the default
        // and authenticate every request. Routes name their schemes in AuthenticationOptions; policies name theirs.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication();
        services.AddAuthorization();
        services.AddMetrics();
        services.AddSingleton<GatewayMetrics>();
        builder.AddGatewayObserver(bff);
        services.AddSingleton<GatewayAlerts>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayAlerts>());
        services.AddProblemDetails();
        services.AddExceptionHandler<Bff.Shared.Problems.RedisUnavailableExceptionHandler>(); // 503, not 500, while Redis is unreachable
        builder.AddGatewayCors();
        builder.AddTrustedProxies();
        builder.AddGatewayTls();
        builder.AddGatewayDataProtection(bff);
        services.AddSingleton<HttpInvokerPool>();
        services.AddSingleton<GatewayTransformer>();
        services.AddSingleton<GatewayForwarder>();
        builder.AddGatewayResilience();
        services.AddSingleton<RoutePipeline>();
        services.AddSingleton<AggregateHandler>();
        services.AddSingleton<AggregatorRegistry>();
        services.AddSingleton<GatewayEndpointFactory>();
        services.AddSingleton<GatewayConfigProvider>();
        services.AddHostedService<GatewayStartup>();
        services.AddGatewayHealth();
        services.AddGatewayServiceDiscovery();

        // Response cache: memory, plus Redis and a backplane when ConnectionStrings:Redis is set (FusionCache).
        services.AddSingleton<ResponseCache>();
        var responses = services.AddFusionCache(ResponseCache.CacheName)
            .WithOptions(o =>
            {
                o.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(2);
                o.CacheKeyPrefix = ResponseCache.CacheName + ":"; // apart from the API-key cache in the same Redis
            })
            .WithDefaultEntryOptions(new ZiggyCreatures.Caching.Fusion.FusionCacheEntryOptions
            {
                DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(100),
                DistributedCacheHardTimeout = TimeSpan.FromMilliseconds(500),
                AllowBackgroundDistributedCacheOperations = true,
            });
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } cacheRedis) RedisConnection.UseFor(responses, cacheRedis);

        // Rate limiting: Redis (exact across replicas) when ConnectionStrings:Redis is set, else in process.
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName);
        services.AddSingleton<PlanLimits>();
        services.AddSingleton<RateLimitAlerts>();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            RedisConnection.Add(services, redis);
            services.AddSingleton<RedisRateLimitStore>();
            services.AddSingleton<ResilientRateLimitStore>();
            services.AddSingleton<IRateLimitStore>(sp => sp.GetRequiredService<ResilientRateLimitStore>());
        }
        else
        {
            services.AddSingleton<IRateLimitStore, InProcessRateLimitStore>();
        }
        return builder;
    }
}
