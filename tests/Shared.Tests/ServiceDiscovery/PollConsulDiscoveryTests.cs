using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19, the <c>PollConsul</c> provider: the same health API asked every PollingInterval.</summary>
internal sealed class PollConsulDiscoveryTests : RegistryDiscoveryTests
{
    protected override async Task<ITestRegistry> StartRegistryAsync() => await FakeConsulServer.StartAsync("PollConsul", pollingInterval: 300);
}
