using Bff.Shared.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Shared.Health;

/// <summary>Degraded while rate limits are decided without Redis (fallback or fail-open).</summary>
internal sealed class RateLimitStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<ResilientRateLimitStore>() is { Healthy: false }
            ? HealthCheckResult.Degraded("rate limits are decided without Redis")
            : HealthCheckResult.Healthy());
}
