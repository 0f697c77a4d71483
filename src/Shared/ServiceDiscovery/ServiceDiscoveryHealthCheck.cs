using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>Degraded while a discovered service has no instances yet or its registry fails (the last known set stays
/// in use); Degraded keeps the replica in rotation, as for the other shared dependencies.</summary>
internal sealed class ServiceDiscoveryHealthCheck(ServiceDiscoveryRefresher refresher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = refresher.Services.Where(s => s.Problem is not null)
            .Select(s => $"{s.Service.Name}: {s.Problem}{(s.Instances is null ? " (never resolved)" : $" (stale: {s.Instances.Count} known)")}")
            .ToList();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"{refresher.Services.Count()} service(s)")
            : HealthCheckResult.Degraded(string.Join("; ", problems)));
    }
}
