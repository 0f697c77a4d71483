using System.Text.Json;
using Bff.Shared.Configuration;
using Bff.Shared.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (JSON, every readiness check).</summary>
internal static class GatewayHealthEndpoints
{
    public static void Add(IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<ConfigurationHealthCheck>("configuration", tags: ["ready"])
            .AddCheck<RateLimitStoreHealthCheck>("rate-limit-store", tags: ["ready"]);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web);
    }
}
