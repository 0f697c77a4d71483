using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

internal sealed class PartnerHostTests() : HostTests<PartnerBffMarker>("partner", "Bff.Partner")
{
    private string? _key;

    protected override async Task AuthorizeAsync(HttpRequestMessage request, IServiceProvider services)
    {
        _key ??= (await TestKeys.CreateAsync(services, TestKeys.AllPartnerScopes)).Key;
        request.Headers.Add("X-Api-Key", _key);
    }
}
