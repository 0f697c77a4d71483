using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tokens;

/// <summary>
/// The bearer scheme's token handler: a <see cref="JsonWebTokenHandler"/> that remembers, for a short while, the tokens
/// it has fully validated. A mobile client sends the same access token with every call for its whole lifetime, and
/// verifying its ES256 signature is by far the most expensive step of a request (bench/results). A remembered token is
/// accepted again only while
/// <list type="bullet">
/// <item>its lifetime (exp + clock skew, on the host's <see cref="TimeProvider"/>) has not passed,</item>
/// <item>it was remembered less than <see cref="MaxAge"/> ago, and</item>
/// <item>the key that signed it is still one the scheme trusts (a retired or removed key ends it at once).</item>
/// </list>
/// Every other check (issuer, audience, algorithm, signature) depends only on the token's bytes, whose SHA-256 is the
/// cache key. Each request gets its own copy of the identity, of the same kind the token library makes (claim types
/// matched case-sensitively). Used for the gateway's own tokens, whose keys the scheme resolves on every request; an
/// external issuer's keys come from its discovery document inside JwtBearer, so that scheme validates in full.
/// </summary>
internal sealed class CachingTokenHandler(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>How long a validated token is remembered at most.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Tokens remembered at most (an entry holds the parsed token, ~2–8 KB); beyond this, expired entries are
    /// dropped, then all if more than half are still live.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _validated = new(StringComparer.Ordinal);
    private int _stored; // entries added since the last count (ConcurrentDictionary.Count takes every lock)

    /// <summary>Tokens remembered now.</summary>
    internal int Remembered => _validated.Count;

    private sealed record Entry(ClaimsIdentity Identity, JsonWebToken Token, SecurityKey Key, DateTime Until);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = CacheKey(token);
        if (_validated.TryGetValue(id, out var entry))
        {
            if (now < entry.Until && StillTrusted(entry, validationParameters))
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = entry.Identity.Clone(),
                    SecurityToken = entry.Token,
                    Issuer = entry.Token.Issuer,
                    TokenType = entry.Token.Typ,
                };
            }
            _validated.TryRemove(id, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken jwt, ClaimsIdentity: { } identity } && jwt.SigningKey is { } key)
        {
            var expires = jwt.ValidTo == DateTime.MinValue ? now : jwt.ValidTo + validationParameters.ClockSkew;
            var until = expires < now + MaxAge ? expires : now + MaxAge;
            if (until > now)
            {
                if (Interlocked.Increment(ref _stored) >= Capacity) Trim(now);
                _validated[id] = new Entry(identity.Clone(), jwt, key, until);
            }
        }
        return result;
    }

    private static string CacheKey(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        Span<byte> bytes = length <= 4096 ? stackalloc byte[length] : new byte[length];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(token, bytes)], hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The key that signed the token is still among the keys the scheme trusts now (key rollover retires keys;
    /// an external issuer's JWKS can drop one).</summary>
    private static bool StillTrusted(Entry entry, TokenValidationParameters parameters)
    {
        var keys = parameters.IssuerSigningKeyResolver?.Invoke(null, entry.Token, entry.Key.KeyId, parameters)
            ?? parameters.IssuerSigningKeys
            ?? (parameters.IssuerSigningKey is { } single ? [single] : []);
        foreach (var key in keys)
        {
            if (ReferenceEquals(key, entry.Key)) return true;
            if (!string.IsNullOrEmpty(key.KeyId) && key.KeyId == entry.Key.KeyId && key.GetType() == entry.Key.GetType()) return true;
        }
        return false;
    }

    private void Trim(DateTime now)
    {
        foreach (var (id, entry) in _validated)
        {
            if (entry.Until <= now) _validated.TryRemove(id, out _);
        }
        // Still more than half full of live tokens: start over rather than scan again a few stores later.
        if (_validated.Count > Capacity / 2) _validated.Clear();
        Volatile.Write(ref _stored, _validated.Count);
    }
}
