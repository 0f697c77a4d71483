using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Mobile;

internal sealed class MobileHostTests() : HostTests<MobileBffMarker>("mobile", "Bff.Mobile")
{
    private string? _token;

    protected override async Task AuthorizeAsync(HttpRequestMessage request, IServiceProvider services)
    {
        _token ??= await TestTokens.AccessTokenAsync(services);
        request.Headers.Add("Authorization", "Bearer " + _token);
    }
}
