using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bffs.IdentityProvider;

/// <summary>
/// Builds the demo provider. Tests host it in-process through <see cref="Build"/> with their own settings
/// (<c>--urls</c>, <c>IdentityProvider:Issuer</c>, clients whose redirect URIs point at the gateway under test).
/// </summary>
public static class IdentityProviderApp
{
    public const string CookieScheme = "idp";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls("http://localhost:5400");
        configure?.Invoke(builder);
        builder.Services.AddOptions<IdentityProviderOptions>().BindConfiguration(IdentityProviderOptions.SectionName);
        var settings = builder.Configuration.GetSection(IdentityProviderOptions.SectionName).Get<IdentityProviderOptions>() ?? new();
        var issuer = builder.Configuration["IdentityProvider:Issuer"];

        var database = "idp-" + Guid.NewGuid().ToString("N"); // one in-memory store per provider instance
        builder.Services.AddDbContext<DbContext>(o => o.UseInMemoryDatabase(database).UseOpenIddict());
        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, o =>
        {
            o.LoginPath = "/account/login";
            o.Cookie.Name = "idp.session";
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                if (!string.IsNullOrEmpty(issuer)) o.SetIssuer(new Uri(issuer));
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession").SetRevocationEndpointUris("connect/revoke");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                o.RequireProofKeyForCodeExchange();
                o.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, .. settings.Clients.SelectMany(c => c.Scopes).Distinct()]);
                o.RegisterClaims(Claims.Subject, Claims.Name, "customer_id", "sid");
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption(); // JWT access tokens the demo backends could read
                o.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        builder.Services.AddSingleton<TokenRequestCounter>();
        builder.Services.AddSingleton<BackChannelLogout>();
        builder.Services.AddHttpClient(BackChannelLogout.HttpClientName);
        builder.Services.AddHostedService<ClientSeeder>();

        var app = builder.Build();
        app.UseAuthentication();
        app.MapConnectEndpoints();
        app.MapAccountEndpoints();
        app.MapGet("/health", () => "ok");
        app.MapGet("/diagnostics/token-requests", (TokenRequestCounter counter) => counter.Snapshot());
        return app;
    }
}
