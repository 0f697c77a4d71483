using Bff.Shared.Oidc;
using Bff.Shared.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.Oidc;

/// <summary>A web gateway signing users in at the <see cref="TestIdentityProvider"/>, with sessions in memory or in a
/// shared redis-server, on a clock the test can move.</summary>
internal sealed class OidcGateway : IAsyncDisposable
{
    private OidcGateway(GatewayTestHost host, FakeTimeProvider time) => (Host, Time) = (host, time);

    public GatewayTestHost Host { get; }
    public FakeTimeProvider Time { get; }
    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>Routes to the echo backend: /api/me (session, the user's token), /api/catalog (anonymous, the BFF's
    /// token), /api/either (anonymous, UserOrClient), /api/plain (session, no token).</summary>
    public static string Routes(EchoBackend backend) => $$"""
        { "Routes": [
          { "UpstreamPathTemplate": "/api/me", "DownstreamPathTemplate": "/me", "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "Session" }, "DownstreamToken": "User",
            "AddHeadersToRequest": { "X-Customer": "Claims[customer_id] > value" } },
          { "UpstreamPathTemplate": "/api/catalog", "DownstreamPathTemplate": "/catalog", "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ], "DownstreamToken": "Client" },
          { "UpstreamPathTemplate": "/api/either", "DownstreamPathTemplate": "/either", "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ], "DownstreamToken": "UserOrClient" },
          { "UpstreamPathTemplate": "/api/plain", "DownstreamPathTemplate": "/plain", "DownstreamScheme": "http",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } } ] }
        """;

    public static async Task<OidcGateway> StartAsync(TestIdentityProvider idp, EchoBackend backend, TempFolder data, string? redis = null, TimeSpan? refreshBefore = null)
    {
        var time = TestClock.StartingNow();
        var settings = GatewayTestHost.KeyStoreSettings(data, redis);
        foreach (var (k, v) in idp.GatewaySettings(refreshBefore)) settings[k] = v;
        var host = await GatewayTestHost.StartAsync(Routes(backend), settings,
            services => services.AddSingleton<TimeProvider>(time),
            builder => builder.AddKeyStore().AddSessionAuthentication());
        return new OidcGateway(host, time);
    }

    /// <summary>The session behind a cookie, as the store holds it, with its tokens decrypted.</summary>
    public async Task<(SessionRecord? Session, UserTokens? Tokens)> SessionAsync(string cookie)
    {
        var session = await Host.Services.GetRequiredService<ISessionStore>().GetAsync(SessionKeys.KeyOf(cookie), CancellationToken.None);
        return (session, Host.Services.GetRequiredService<SessionTokenProtector>().Unprotect(session?.Tokens));
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
