using Bff.Shared.Admin;
using Bff.Shared.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Microsoft.Extensions.Hosting;

public static class ApiKeyHostApplicationBuilderExtensions
{
    /// <summary>
    /// The <c>ApiKey</c> authentication scheme (header <c>X-Api-Key</c>) for routes that name it in
    /// <c>AuthenticationOptions</c>. Needs <see cref="AddKeyStore"/>. <c>ApiKeys:Pepper</c> is required outside
    /// Development.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        // The admin API authenticates with API keys; it is mapped only when Admin:Enabled is true (Bff.Partner's
        // Development settings), its OpenAPI document and UI only when Admin:Docs is (default: Development).
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<AdminOptions>().Configure(o => o.Docs = development).BindConfiguration(AdminOptions.SectionName);
        builder.Services.AddAdminApi();
        return builder;
    }

    /// <summary>The API-key lookup cache (FusionCache; Redis and a backplane when configured); part of the key store.</summary>
    internal static void AddKeyCache(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyCache>();
        var cacheDuration = builder.Configuration.GetSection(ApiKeyOptions.SectionName).Get<ApiKeyOptions>()?.CacheDuration ?? TimeSpan.FromMinutes(5);
        var redis = builder.Configuration.GetConnectionString("Redis");
        // Without Redis nothing can tell other processes (a second replica, the keys revoke command) to evict a key:
        // entries then live at most a second, so a revocation still takes effect everywhere within one.
        if (string.IsNullOrWhiteSpace(redis) && cacheDuration > TimeSpan.FromSeconds(1)) cacheDuration = TimeSpan.FromSeconds(1);
        var cache = builder.Services.AddFusionCache(ApiKeyCache.CacheName)
            // Its own prefix in the Redis it shares with the response cache (FusionCache warns at start without one).
            .WithOptions(o => o.CacheKeyPrefix = ApiKeyCache.CacheName + ":")
            // Size-limited (ApiKeys:CacheEntries): ids come from callers.
            .WithMemoryCache(sp => sp.GetRequiredService<ApiKeyCache>().Memory)
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = cacheDuration,
                Size = 1,
                // With Redis, the database may be down: keys seen before keep working (never "accept unknown"), as a
                // change reaches every replica through Redis; a slow database answers from the stale entry after a
                // second, and gives up after five. Without Redis a change made elsewhere is learnt only from the
                // database, so no record outlives the cache duration: a store that cannot be read refuses (503).
                IsFailSafeEnabled = !string.IsNullOrWhiteSpace(redis),
                FailSafeMaxDuration = TimeSpan.FromDays(1),
                FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
                FactorySoftTimeout = TimeSpan.FromSeconds(1),
                FactoryHardTimeout = TimeSpan.FromSeconds(5),
                // An eviction is sent before the revoking call returns (a command exits right after it).
                AllowBackgroundDistributedCacheOperations = false,
                AllowBackgroundBackplaneOperations = false,
            });
        if (string.IsNullOrWhiteSpace(redis)) return;
        // Memory (L1) + Redis (L2) + backplane: a revocation evicts the key from every replica's memory at once.
        Bff.Shared.Hosting.RedisConnection.UseFor(cache, redis);
    }
}
