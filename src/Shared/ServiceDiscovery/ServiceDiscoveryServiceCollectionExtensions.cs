using Bff.Shared.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceDiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Service discovery for <c>ServiceName</c> routes: Microsoft.Extensions.ServiceDiscovery with its configuration
    /// provider (<c>Services:&lt;name&gt;:&lt;scheme&gt;:&lt;i&gt;</c>, which Aspire's <c>WithReference</c> sets), the Dns, Kube
    /// and Consul registry clients (created when a route file names their provider), the refresher
    /// and the <c>service-discovery</c> readiness check.
    /// </summary>
    public static IServiceCollection AddGatewayServiceDiscovery(this IServiceCollection services)
    {
        services.AddServiceDiscoveryCore();
        services.AddConfigurationServiceEndpointProvider();
        services.AddSingleton<ServiceRegistries>();
        services.AddSingleton<ServiceDiscoveryRefresher>();
        services.AddHostedService(static sp => sp.GetRequiredService<ServiceDiscoveryRefresher>());
        services.AddHealthChecks().AddCheck<ServiceDiscoveryHealthCheck>("service-discovery", tags: ["ready"]);
        return services;
    }
}
