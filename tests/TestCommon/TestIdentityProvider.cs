using System.Globalization;
using Bffs.IdentityProvider;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>
/// A real OpenID Connect provider for the tests: samples/IdentityProvider (OpenIddict) in this process on 127.0.0.1,
/// with user ada (customer 1) and client <c>bff-web</c> whose redirect and back-channel URIs point at the gateways
/// under test. Its port is chosen first, so gateways can name it as their Authority before it starts. Every token and
/// secret passing through it is harvested for the log secret scan (<see cref="SecretHarvestingStartupFilter"/>).
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "bff-web";
    public const string ClientSecret = "test-client-secret-8d1f0c";
    public const string Password = "ada-test-password-1";
    private readonly TempFolder _root = new();
    private WebApplication? _app;

    /// <summary>The provider's host name; a browser test uses <c>localhost</c> so that the provider's cookies and the
    /// gateway's (on 127.0.0.1) are apart.</summary>
    public TestIdentityProvider(string host = "127.0.0.1") => Host = host;

    public string Host { get; }
    public int Port { get; } = FreePort.Dead();
    public string Authority => $"http://{Host}:{Port}/";
    public IServiceProvider Services => _app!.Services;
    public TokenRequestCounter Counter => Services.GetRequiredService<TokenRequestCounter>();
    public BackChannelLogout BackChannel => Services.GetRequiredService<BackChannelLogout>();

    /// <summary>The gateway settings that make it this provider's client.</summary>
    public Dictionary<string, string?> GatewaySettings(TimeSpan? refreshBefore = null) => new()
    {
        ["Oidc:Authority"] = Authority,
        ["Oidc:ClientId"] = ClientId,
        ["Oidc:ClientSecret"] = ClientSecret,
        ["Oidc:RequireHttpsMetadata"] = "false",
        ["Oidc:ClientScopes:0"] = "api",
        ["Oidc:RefreshBeforeExpiry"] = (refreshBefore ?? TimeSpan.FromSeconds(60)).ToString("c", CultureInfo.InvariantCulture),
    };

    /// <summary>Starts the provider for these gateways (their base addresses).</summary>
    public async Task StartAsync(TimeSpan accessTokenLifetime, params Uri[] gateways)
    {
        var settings = new Dictionary<string, string?>
        {
            ["IdentityProvider:Issuer"] = Authority,
            ["IdentityProvider:AccessTokenLifetime"] = accessTokenLifetime.ToString("c", CultureInfo.InvariantCulture),
            ["IdentityProvider:Users:0:Username"] = "ada",
            ["IdentityProvider:Users:0:Password"] = Password,
            ["IdentityProvider:Users:0:Subject"] = "idp-ada",
            ["IdentityProvider:Users:0:Name"] = "Ada Lovelace",
            ["IdentityProvider:Users:0:CustomerId"] = "1",
            ["IdentityProvider:Clients:0:ClientId"] = ClientId,
            ["IdentityProvider:Clients:0:ClientSecret"] = ClientSecret,
            ["IdentityProvider:Clients:0:Scopes:0"] = "api",
            ["IdentityProvider:Clients:0:BackChannelLogoutUri"] = new Uri(gateways[0], "/bff/backchannel").AbsoluteUri,
        };
        for (var i = 0; i < gateways.Length; i++)
        {
            settings[$"IdentityProvider:Clients:0:RedirectUris:{i}"] = new Uri(gateways[i], "/bff/signin-oidc").AbsoluteUri;
            settings[$"IdentityProvider:Clients:0:PostLogoutRedirectUris:{i}"] = new Uri(gateways[i], "/").AbsoluteUri;
        }
        _app = IdentityProviderApp.Build(["--urls", $"http://127.0.0.1:{Port}", "--contentRoot", _root.Path], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            // Every token and secret the provider sees or issues is harvested, so the log scan looks for it too.
            builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, SecretHarvestingStartupFilter>();
        });
        await _app.StartAsync();
    }

    /// <summary>Stops the provider (a test may do it early: "the provider is down"); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        var app = _app;
        _app = null;
        await app.DisposeAsync();
        _root.Dispose();
    }
}
