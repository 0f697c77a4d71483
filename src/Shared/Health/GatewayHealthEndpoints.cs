using System.Text.Json;
using Bff.Shared.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (JSON: the status, and every readiness
/// check unless <c>Observer:PublicHealthDetails</c> is false — the default in Production).</summary>
internal static class GatewayHealthEndpoints
{
    /// <summary>The readiness checks: configuration, rate-limit store, key store, Redis.</summary>
    public static IServiceCollection AddGatewayHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ConfigurationHealthCheck>("configuration", tags: ["ready"])
            .AddCheck<RateLimitStoreHealthCheck>("rate-limit-store", tags: ["ready"])
            .AddCheck<KeyStoreHealthCheck>("key-store", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder app)
    {
        var details = app.ServiceProvider.GetRequiredService<IOptions<ObserverOptions>>().Value.PublicHealthDetails != false;
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteStatusAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = IsReadiness,
            ResponseWriter = details ? WriteDetailsAsync : WriteStatusAsync,
        });
        return app;
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
