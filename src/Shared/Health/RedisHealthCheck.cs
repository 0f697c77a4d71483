using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Shared.Health;

/// <summary>Degraded while Redis has no master that answers a PING (during a failover, before a replica is promoted) (sessions, caches and rate limits use their fallbacks).</summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is not { } redis) return HealthCheckResult.Healthy("not configured");
        try
        {
            var latency = await redis.GetDatabase().PingAsync(StackExchange.Redis.CommandFlags.DemandMaster).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"Redis does not answer ({e.GetType().Name})");
        }
    }
}
