using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Bff.Shared.Hosting;

/// <summary>One Redis connection per host (sessions, rate limits), created on first use and reconnecting by itself:
/// a Redis that is down at start does not stop the host.</summary>
internal static class RedisConnection
{
    /// <summary>A FusionCache (API-key records, cached responses) on Redis: entries in Redis (L2) under <c>bffs:</c>
    /// plus the cache's own key prefix, and a backplane so every replica's memory (L1) follows. Serialized with
    /// System.Text.Json with fields included, which FusionCache needs for the value tuples of its own entries (it
    /// warns at start otherwise; dotnet/runtime#70352).</summary>
    public static void UseFor(IFusionCacheBuilder cache, string configuration) =>
        cache.WithSerializer(new ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson.FusionCacheSystemTextJsonSerializer(
                new System.Text.Json.JsonSerializerOptions { IncludeFields = true }))
            .WithDistributedCache(new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache(
                new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions { Configuration = configuration, InstanceName = "bffs:" }))
            .WithBackplane(new ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis.RedisBackplane(
                new ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis.RedisBackplaneOptions { Configuration = configuration }));

    public static void Add(IServiceCollection services, string configuration) =>
        services.TryAddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2_000;
            // While Redis is away, commands fail at once instead of queueing (callers have their own fallbacks),
            // and reconnection is tried every half second so a returning Redis is used again quickly.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ReconnectRetryPolicy = new LinearRetry(500);
            // Replies are completed on the .NET thread pool rather than on StackExchange.Redis's own dedicated
            // threads: every caller here is async, so the dedicated pool only added a thread hop per command
            // (about 9 µs of CPU per rate-limited request in bench/results).
            options.SocketManager = SocketManager.ThreadPool;
            return ConnectionMultiplexer.Connect(options);
        });
}
