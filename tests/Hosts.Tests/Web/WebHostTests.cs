using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Web;

internal sealed class WebHostTests() : HostTests<WebBffMarker>("web", "Bff.Web")
{
    private string? _cookie;

    protected override async Task AuthorizeAsync(HttpRequestMessage request, IServiceProvider services)
    {
        _cookie ??= await TestSessions.CookieAsync(services);
        TestSessions.SignIn(request, _cookie);
    }
}
