using System.Net;
using Bff.Hosts.Tests.Common;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Web.Browser;

/// <summary>
/// The whole web stack a browser talks to, on loopback: the real Bff.Web (its Program, route files and wwwroot) on
/// real Kestrel over HTTPS (a throw-away certificate: the session cookie is <c>__Host-</c> and Secure), sessions in a
/// private redis-server, and the real demo backends in their own process (so a test may stop them).
/// </summary>
internal sealed class WebGateway : IAsyncDisposable
{
    public const string Username = "ada";
    public const string Password = "analytical-engine";

    private readonly WebApplicationFactory<WebBffMarker> _factory;
    private readonly TempFolder _folder;
    private readonly RedisServer _redis;
    private bool _backendsStopped;

    private WebGateway(WebApplicationFactory<WebBffMarker> factory, TempFolder folder, RedisServer redis, DemoBackends backends, Uri baseAddress)
    {
        _factory = factory;
        _folder = folder;
        _redis = redis;
        Backends = backends;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public DemoBackends Backends { get; }
    public IServiceProvider Services => _factory.Services;

    public static async Task<WebGateway> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var redis = await RedisServer.StartAsync();
        var backends = await DemoBackends.StartAsync();
        var ports = new Dictionary<int, int> { [6001] = backends.Port, [6002] = backends.Port, [6003] = backends.Port };
        var folder = HostFixture<WebBffMarker>.CopyRouteFiles("web", ports);
        var certificate = GatewayTestHost.SelfSignedCertificate();
        var factory = new WebApplicationFactory<WebBffMarker>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:ConfigPath", folder.Path);
            foreach (var (key, value) in HostFixture<WebBffMarker>.ServiceSettings(ports)) b.UseSetting(key, value);
            foreach (var (key, value) in GatewayTestHost.KeyStoreSettings(folder, redis.ConnectionString)) b.UseSetting(key, value);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
            b.UseEnvironment("Testing");
            b.UseTestRunLog();
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var gateway = new WebGateway(factory, folder, redis, backends, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
        await factory.Services.GetRequiredService<UserService>().CreateAsync(Username, Password, ["demo"], new Dictionary<string, string> { ["customer_id"] = "1" }, new AuditActor("test:browser"));
        return gateway;
    }

    /// <summary>A client outside the browser (certificate not checked: it is the test's own).</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Stops the demo backends (every route's backend is then down).</summary>
    public async Task StopBackendsAsync()
    {
        if (_backendsStopped) return;
        _backendsStopped = true;
        await Backends.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await StopBackendsAsync();
        await _redis.DisposeAsync();
        _folder.Dispose();
    }
}
