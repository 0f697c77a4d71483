using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Bff.Shared.Oidc;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 §2.6: a logout token is a JWT signed by the provider (its JWKS), with our
/// client id as audience, a recent <c>iat</c>, the back-channel logout event, <c>sub</c> and/or <c>sid</c>, no
/// <c>nonce</c> — and, so it cannot be replayed, a <c>jti</c> not seen before (remembered in Redis when it is
/// configured, so a token replayed to another replica is refused too).
/// </summary>
internal sealed class LogoutTokenValidator(OidcProviderClient provider, IOptions<OidcOptions> options, TimeProvider time, IConnectionMultiplexer? redis = null)
{
    public const string Event = "http://schemas.openid.net/event/backchannel-logout";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };
    private readonly MemoryCache _seen = new(new MemoryCacheOptions());

    /// <summary>The token's sub and sid, or the reason it is refused.</summary>
    public async Task<(string? Sub, string? Sid, string? Error)> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16_384) return (null, null, "logout_token is missing");
        var configuration = await provider.ConfigurationAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.Value.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidTypes = ["logout+jwt", "JWT"],
            RequireExpirationTime = false, // exp is optional in a logout token; iat bounds its age below
            ClockSkew = TimeSpan.FromMinutes(1),
            LifetimeValidator = (_, expires, _, _) => expires is null || expires > time.GetUtcNow().UtcDateTime.AddMinutes(-1),
        });
        if (!result.IsValid) return (null, null, "the logout token is not valid (signature, issuer, audience or lifetime)");
        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object || !events.TryGetProperty(Event, out _))
            return (null, null, "the logout token has no back-channel logout event");
        if (jwt.TryGetPayloadValue<object>("nonce", out _)) return (null, null, "a logout token must not have a nonce");
        var sub = jwt.TryGetPayloadValue<string>("sub", out var s) ? s : null;
        var sid = jwt.TryGetPayloadValue<string>("sid", out var i) ? i : null;
        if (sub is null && sid is null) return (null, null, "the logout token has neither sub nor sid");
        if (!jwt.TryGetPayloadValue<long>("iat", out var iat) || DateTimeOffset.FromUnixTimeSeconds(iat) < time.GetUtcNow() - MaxAge)
            return (null, null, "the logout token has no recent iat");
        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti)) return (null, null, "the logout token has no jti");
        if (!await FirstUseAsync(jti)) return (null, null, "the logout token was used before");
        return (sub, sid, null);
    }

    private async Task<bool> FirstUseAsync(string jti)
    {
        if (redis is not null)
        {
            try
            {
                return await redis.GetDatabase().StringSetAsync("bffs:logout-jti:" + jti, 1, MaxAge + TimeSpan.FromMinutes(1), When.NotExists);
            }
            catch (RedisException)
            {
                // Fall back to this replica's memory.
            }
        }
        lock (_seen)
        {
            if (_seen.TryGetValue(jti, out _)) return false;
            _seen.Set(jti, true, MaxAge + TimeSpan.FromMinutes(1));
            return true;
        }
    }
}
