using Bff.Shared.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>
/// A gateway exactly as the hosts compose it (AddBffGateway + MapBffGateway) on real Kestrel at 127.0.0.1:0,
/// reading route files from a temporary folder the test writes.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, TempFolder folder, InMemoryLogSink logs)
    {
        _app = app;
        Folder = folder;
        Logs = logs;
    }

    public TempFolder Folder { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app.Services;
    internal GatewayConfigProvider Provider => _app.Services.GetRequiredService<GatewayConfigProvider>();
    public InMemoryLogSink Logs { get; }

    /// <summary>Starts a gateway reading <c>ocelot.json</c> with the given text.</summary>
    public static Task<GatewayTestHost> StartAsync(string ocelotJson, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var folder = new TempFolder();
        folder.Write("ocelot.json", ocelotJson);
        return StartAsync(folder, Path.Combine(folder.Path, "ocelot.json"), settings, services, configure);
    }

    /// <summary>Starts a gateway on <paramref name="configPath"/> (a file or folder, usually inside <paramref name="folder"/>).</summary>
    public static async Task<GatewayTestHost> StartAsync(TempFolder folder, string configPath, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = folder.Path });
        var certificate = settings is not null && settings.TryGetValue(HttpsSetting, out var https) && https == "true" ? SelfSignedCertificate() : null;
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        builder.Configuration["Gateway:ConfigPath"] = configPath;
        if (settings is not null)
            foreach (var (k, v) in settings) builder.Configuration[k] = v;
        var logs = new InMemoryLogSink();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, SecretHarvestingStartupFilter>();
        builder.AddBffGateway("test");
        configure?.Invoke(builder);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapBffGateway();
        var started = new GatewayTestHost(app, folder, logs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        started.BaseAddress = new Uri(address);
        return started;
    }

    /// <summary>Settings for a gateway with a key store in <paramref name="folder"/> (SQLite file) and a test pepper.</summary>
    public static Dictionary<string, string?> KeyStoreSettings(TempFolder folder, string? redis = null) => new()
    {
        ["ConnectionStrings:KeyStore"] = $"Data Source={Path.Combine(folder.Path, "keystore.db")};Pooling=False",
        ["ApiKeys:Pepper"] = TestPepper,
        ["ConnectionStrings:Redis"] = redis,
    };

    /// <summary>Set to "true" in the settings to serve HTTPS with a throw-away self-signed certificate.</summary>
    public const string HttpsSetting = "Test:Https";

    /// <summary>A throw-away certificate for localhost and 127.0.0.1, valid for a day.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedCertificate()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    public const string TestPepper = "test-pepper-0123456789-0123456789-0123456789";

    // An outside client: it sends only the headers a test sets (no traceparent of the test process's own spans).
    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ActivityHeadersPropagator = null })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Stops the host the way SIGTERM does (lifecycle services, then servers), without disposing it.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Folder.Dispose();
    }
}
