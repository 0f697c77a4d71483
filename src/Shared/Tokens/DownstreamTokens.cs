using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tokens;

/// <summary>
/// Mints the short-lived (60 s) ES256 JWT a route hands its backend (<c>DownstreamJwtAudience</c>), so the backend
/// can verify who is calling against the gateway's JWKS instead of trusting a header.
/// </summary>
internal sealed class DownstreamTokens(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<string> MintAsync(ClaimsPrincipal user, string audience, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = user.Claims.Where(c => c.Type is "sub" or "name" or "role" or "client_id" or "scope").Select(c => new Claim(c.Type, c.Value));
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(60),
            SigningCredentials = await keys.SigningCredentialsAsync(cancellationToken),
        });
    }
}
