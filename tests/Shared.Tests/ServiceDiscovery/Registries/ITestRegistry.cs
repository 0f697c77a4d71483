using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.ServiceDiscovery.Registries;

/// <summary>A registry a test controls: the instances it lists for service <c>orders</c>, and whether it answers.</summary>
internal interface ITestRegistry : IAsyncDisposable
{
    /// <summary>The route file's <c>GlobalConfiguration.ServiceDiscoveryProvider</c> that points at this registry.</summary>
    string Provider { get; }

    /// <summary>From now on the registry lists exactly these instances of <c>orders</c>.</summary>
    Task SetAsync(params EchoBackend[] instances);

    /// <summary>The registry stops answering (connections refused or dropped).</summary>
    Task GoDownAsync();

    /// <summary>The registry answers again, with the instances it listed before.</summary>
    Task ComeBackAsync();

    /// <summary>What the gateway's host needs to reach the registry (beside the route file's provider).</summary>
    void Configure(IHostApplicationBuilder builder)
    {
    }
}
