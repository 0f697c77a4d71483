using Bff.Shared.Oidc;
using Bff.Shared.Sessions;
using Bff.Shared.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.Oidc;

/// <summary>A web gateway (<see cref="SessionGateway"/>: sessions in memory or a shared redis-server, a clock the test
/// can move) signing users in at the <see cref="TestIdentityProvider"/>.</summary>
internal sealed class OidcGateway : IAsyncDisposable
{
    private readonly SessionGateway _gateway;

    private OidcGateway(SessionGateway gateway) => _gateway = gateway;

    public GatewayTestHost Host => _gateway.Host;
    public FakeTimeProvider Time => _gateway.Time;
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
        var gateway = await SessionGateway.StartAsync(Routes(backend), data, redis, extra: idp.GatewaySettings(refreshBefore));
        return new OidcGateway(gateway);
    }

    /// <summary>The session behind a cookie, as the store holds it, with its tokens decrypted.</summary>
    public async Task<(SessionRecord? Session, UserTokens? Tokens)> SessionAsync(string cookie)
    {
        var session = await Host.Services.GetRequiredService<ISessionStore>().GetAsync(SessionKeys.KeyOf(cookie), CancellationToken.None);
        return (session, Host.Services.GetRequiredService<SessionTokenProtector>().Unprotect(session?.Tokens));
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();
}
