using Bff.Shared.Configuration;
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
