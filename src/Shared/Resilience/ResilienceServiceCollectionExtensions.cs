using Bff.Shared.Hosting;
using Bff.Shared.Resilience;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

public static class ResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Resilience: per-destination circuit breakers for routes with QoSOptions (Polly v8), and graceful shutdown
    /// (readiness turns unhealthy, drain, then in-flight requests finish within <c>Gateway:ShutdownTimeout</c>).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayResilience(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CircuitBreakers>();
        services.AddSingleton<GracefulShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddHealthChecks().AddCheck<GracefulShutdown>("shutdown", tags: ["ready"]);
        // The drain runs inside the host's shutdown budget, so the budget covers both.
        services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout = gateway.Value.DrainDelay + gateway.Value.ShutdownTimeout);
        return builder;
    }
}
