using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Common;

/// <summary>
/// A BFF host built from its real Program (WebApplicationFactory) whose real route files are copied to a temporary
/// folder, with the demo services they name (users, orders, payments — demo ports 6001-6003) pointed at real servers on
/// loopback through the Services settings that service discovery resolves.
/// </summary>
internal sealed class HostFixture<TMarker> : IAsyncDisposable where TMarker : class
{
    private readonly WebApplicationFactory<TMarker> _factory;
    private readonly TempFolder _folder;

    private HostFixture(WebApplicationFactory<TMarker> factory, TempFolder folder, Dictionary<int, EchoBackend> backends)
    {
        _factory = factory;
        _folder = folder;
        Backends = backends;
    }

    /// <summary>Demo port → the echo backend standing in for it (empty when the real demo backends serve).</summary>
    public IReadOnlyDictionary<int, EchoBackend> Backends { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The Kestrel port when started with <c>kestrel: true</c>.</summary>
    public int Port => new Uri(_factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First()).Port;

    /// <summary>The folder of copied route files (with demo ports rewritten).</summary>
    public string ConfigPath => _folder.Path;

    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A host whose three backends are echo backends (each answers with what it received).</summary>
    public static async Task<HostFixture<TMarker>> StartAsync(string bff) => await StartAsync(bff, "Testing", null);

    /// <summary>As <see cref="StartAsync(string)"/>, in <paramref name="environment"/>, with extra settings; with
    /// <paramref name="kestrel"/>, on a real Kestrel listener on 127.0.0.1:<see cref="Port"/> (for raw-socket requests).</summary>
    public static async Task<HostFixture<TMarker>> StartAsync(string bff, string environment, IDictionary<string, string?>? settings, bool kestrel = false)
    {
        var backends = new Dictionary<int, EchoBackend>
        {
            [6001] = await EchoBackend.StartAsync(6001),
            [6002] = await EchoBackend.StartAsync(6002),
            [6003] = await EchoBackend.StartAsync(6003),
        };
        var ports = backends.ToDictionary(b => b.Key, b => b.Value.Port);
        var folder = CopyRouteFiles(bff, ports);
        return new HostFixture<TMarker>(CreateFactory(folder, ports, environment, settings, kestrel), folder, backends);
    }

    /// <summary>A host whose route files point at one process serving every demo backend.</summary>
    public static HostFixture<TMarker> Start(string bff, int demoPort)
    {
        var ports = new Dictionary<int, int> { [6001] = demoPort, [6002] = demoPort, [6003] = demoPort };
        var folder = CopyRouteFiles(bff, ports);
        return new HostFixture<TMarker>(CreateFactory(folder, ports), folder, []);
    }

    /// <summary>The host's real route files in a temporary folder, demo ports rewritten (<paramref name="ports"/>: demo → real).</summary>
    internal static TempFolder CopyRouteFiles(string bff, IReadOnlyDictionary<int, int> ports)
    {
        var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(RepoPaths.RouteFolder(bff), "*.json"))
        {
            var text = File.ReadAllText(file);
            foreach (var (from, to) in ports)
                text = Regex.Replace(text, $@"""Port""\s*:\s*{from}\b", $"\"Port\": {to.ToString(CultureInfo.InvariantCulture)}");
            text = text.Replace("\"localhost\"", "\"127.0.0.1\"", StringComparison.Ordinal);
            folder.Write(Path.GetFileName(file), text);
        }
        return folder;
    }

    /// <summary>The demo services the route files name (ServiceName), pointed at real servers: demo port → real port.</summary>
    internal static Dictionary<string, string?> ServiceSettings(IReadOnlyDictionary<int, int> ports)
    {
        var names = new Dictionary<int, string> { [6001] = "users", [6002] = "orders", [6003] = "payments" };
        return ports.ToDictionary(p => $"Services:{names[p.Key]}:http:0", p => (string?)$"http://127.0.0.1:{p.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    private static WebApplicationFactory<TMarker> CreateFactory(TempFolder folder, IReadOnlyDictionary<int, int> ports, string environment = "Testing", IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        var factory = new WebApplicationFactory<TMarker>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:ConfigPath", folder.Path);
            foreach (var (key, value) in ServiceSettings(ports)) b.UseSetting(key, value);
            foreach (var (key, value) in GatewayTestHost.KeyStoreSettings(folder)) b.UseSetting(key, value);
            b.UseSetting("Admin:Enabled", "true");
            b.UseSetting("Admin:Docs", "true");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
            b.UseEnvironment(environment);
            b.UseTestRunLog();
        });
        if (kestrel)
        {
            factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
            return factory;
        }
        _ = factory.Server; // start now
        return factory;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        foreach (var backend in Backends.Values) await backend.DisposeAsync();
        _folder.Dispose();
    }
}
