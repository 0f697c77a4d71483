using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Bff.Shared.Hosting;

/// <summary>One Redis connection per host (sessions, rate limits), created on first use and reconnecting by itself:
/// a Redis that is down at start does not stop the host.</summary>
internal static class RedisConnection
{
    /// <summary>How FusionCache entries (API-key records, cached responses) are written to Redis: System.Text.Json
    /// with fields included, which FusionCache needs for the value tuples of its own entries (it warns at start
    /// otherwise; dotnet/runtime#70352).</summary>
    public static ZiggyCreatures.Caching.Fusion.Serialization.IFusionCacheSerializer CacheSerializer() =>
        new ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson.FusionCacheSystemTextJsonSerializer(
            new System.Text.Json.JsonSerializerOptions { IncludeFields = true });

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
