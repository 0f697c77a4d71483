using Bff.Shared.Tests.ServiceDiscovery.Registries;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19, the <c>PollKube</c> provider: the EndpointSlice list every PollingInterval.</summary>
internal sealed class PollKubeDiscoveryTests : RegistryDiscoveryTests
{
    protected override async Task<ITestRegistry> StartRegistryAsync() => await FakeKubeApiServer.StartAsync("PollKube");
}
