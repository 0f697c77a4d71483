using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Shared.Health;

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
