using System.Text.Json;
using Bff.Shared.Configuration;
using Bff.Shared.Observability;
using Bff.Shared.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Health;

/// <summary>Ready when the route configuration is loaded.</summary>
internal sealed class ConfigurationHealthCheck(GatewayConfigProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var model = provider.Current;
            return Task.FromResult(HealthCheckResult.Healthy($"{model.Routes.Length} routes, {model.Aggregates.Length} aggregates"));
        }
        catch (GatewayConfigurationException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{e.Errors.Count} configuration error(s)"));
        }
    }
}

/// <summary>Degraded while rate limits are decided without Redis (fallback or fail-open).</summary>
internal sealed class RateLimitStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<ResilientRateLimitStore>() is { Healthy: false }
            ? HealthCheckResult.Degraded("rate limits are decided without Redis")
            : HealthCheckResult.Healthy());
}

/// <summary>Degraded while the key store cannot be queried: keys already looked up keep working from the cache, so
/// the replica stays in rotation (Unhealthy would take every replica out at once when the shared database fails).</summary>
internal sealed class KeyStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<Bff.Shared.KeyStore.KeyStoreContextFactory>() is not { } factory) return HealthCheckResult.Healthy("not used by this host");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var db = factory.Create();
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.ApiKeys, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"the key store cannot be queried ({e.GetType().Name}); known keys are served from the cache");
        }
    }
}

/// <summary>Degraded while Redis does not answer a PING (sessions, caches and rate limits use their fallbacks).</summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is not { } redis) return HealthCheckResult.Healthy("not configured");
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"Redis does not answer ({e.GetType().Name})");
        }
    }
}

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (JSON: the status, and every readiness
/// check unless <c>Observer:PublicHealthDetails</c> is false — the default in Production).</summary>
internal static class GatewayHealthEndpoints
{
    public static void Add(IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<ConfigurationHealthCheck>("configuration", tags: ["ready"])
            .AddCheck<RateLimitStoreHealthCheck>("rate-limit-store", tags: ["ready"])
            .AddCheck<KeyStoreHealthCheck>("key-store", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);

    public static void Map(IEndpointRouteBuilder app)
    {
        var details = app.ServiceProvider.GetRequiredService<IOptions<ObserverOptions>>().Value.PublicHealthDetails != false;
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteStatusAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = IsReadiness,
            ResponseWriter = details ? WriteDetailsAsync : WriteStatusAsync,
        });
    }

    internal static bool IsReadiness(HealthCheckRegistration check) => check.Tags.Contains("ready");

    /// <summary>The status only (what a load balancer needs): <c>{"status":"Healthy"}</c>.</summary>
    internal static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new { status = report.Status.ToString() }, JsonSerializerOptions.Web);
    }

    /// <summary>The status and every check with its description (what an operator needs).</summary>
    internal static Task WriteDetailsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web);
    }
}
