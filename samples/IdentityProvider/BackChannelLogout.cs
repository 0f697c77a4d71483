using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Bffs.IdentityProvider;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0, the provider's side: a logout token (a JWT typed <c>logout+jwt</c>, signed
/// with the provider's key: iss, aud = the client, iat, exp, jti, the back-channel logout event, sub and/or sid, no
/// nonce) posted as <c>logout_token</c> to every client's back-channel logout URI.
/// </summary>
public sealed class BackChannelLogout(IOptionsMonitor<OpenIddictServerOptions> server, IOptions<IdentityProviderOptions> options, IHttpClientFactory http, TimeProvider? time = null)
{
    public const string HttpClientName = "backchannel-logout";
    public const string Event = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>A logout token for <paramref name="clientId"/>; <paramref name="claims"/> replace or add claims (tests).</summary>
    public string CreateToken(string clientId, string? sub, string? sid, IDictionary<string, object>? claims = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var payload = new Dictionary<string, object>
        {
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["events"] = new Dictionary<string, object> { [Event] = new Dictionary<string, object>() },
        };
        if (sub is not null) payload["sub"] = sub;
        if (sid is not null) payload["sid"] = sid;
        foreach (var (k, v) in claims ?? new Dictionary<string, object>()) payload[k] = v;
        var current = server.CurrentValue;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = current.Issuer?.AbsoluteUri,
            Audience = clientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(2),
            TokenType = "logout+jwt",
            Claims = payload,
            SigningCredentials = current.SigningCredentials.First(),
        });
    }

    /// <summary>Posts a logout token to each client with a back-channel URI; how many accepted it.</summary>
    public async Task<int> SendAsync(string sub, string? sid, CancellationToken cancellationToken)
    {
        var delivered = 0;
        using var client = http.CreateClient(HttpClientName);
        foreach (var target in options.Value.Clients.Where(c => c.BackChannelLogoutUri is not null))
        {
            using var content = new FormUrlEncodedContent([new("logout_token", CreateToken(target.ClientId, sub, sid))]);
            try
            {
                using var response = await client.PostAsync(target.BackChannelLogoutUri, content, cancellationToken);
                if (response.IsSuccessStatusCode) delivered++;
            }
            catch (HttpRequestException)
            {
            }
        }
        return delivered;
    }
}
