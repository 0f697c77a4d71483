using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tokens;

/// <summary>
/// Issues short-lived ES256 access tokens and opaque refresh tokens. A refresh token is stored as its SHA-256 and
/// works once: using it yields a new one in the same family. Two refreshes racing with the same token both get the
/// same successor (the winner's, kept encrypted for a short grace); a token used again after that is a theft
/// signal and revokes its whole family.
/// </summary>
internal sealed class TokenService(
    KeyStoreContextFactory contexts, SigningKeys keys, KeyProtector protector, UserService users, AuditLog audit,
    IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly TokenOptions _options = options.Value;
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<TokenResponse> IssueAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var refresh = NewRefreshToken();
        await using var db = contexts.Create();
        db.RefreshTokens.Add(new RefreshTokenEntity
        {
            Id = Hash(refresh),
            FamilyId = "fam_" + Guid.NewGuid().ToString("N")[..16],
            UserId = user.Id,
            CreatedAt = Now,
            ExpiresAt = Now + _options.RefreshTokenLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new TokenResponse(await AccessTokenAsync(user, cancellationToken), "Bearer", (int)_options.AccessTokenLifetime.TotalSeconds, refresh);
    }

    /// <summary>A new token pair for a valid refresh token, or null (unknown, expired, revoked, reused, user disabled).</summary>
    public async Task<TokenResponse?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var id = Hash(refreshToken);
        var successor = NewRefreshToken();
        var now = Now;
        await using var db = contexts.Create();
        var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now) return null;

        // One transaction: the successor exists before the old token counts as used, and only one refresh can
        // claim it. Past this point the client going away must not leave the family half rotated.
        int claimed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            claimed = await db.RefreshTokens
                .Where(t => t.Id == id && t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now).SetProperty(t => t.ProtectedSuccessor, protector.Protect(Encoding.UTF8.GetBytes(successor))), CancellationToken.None);
            if (claimed == 1)
            {
                db.RefreshTokens.Add(new RefreshTokenEntity
                {
                    Id = Hash(successor),
                    FamilyId = token.FamilyId,
                    UserId = token.UserId,
                    CreatedAt = now,
                    ExpiresAt = now + _options.RefreshTokenLifetime,
                });
                await db.SaveChangesAsync(CancellationToken.None);
            }
            await transaction.CommitAsync(CancellationToken.None);
        }

        if (claimed == 0)
        {
            var spent = await db.RefreshTokens.AsNoTracking().FirstAsync(t => t.Id == id, CancellationToken.None);
            if (spent.RevokedAt is not null) return null;
            if (spent.UsedAt is { } usedAt && now - usedAt <= _options.RefreshReuseGrace && spent.ProtectedSuccessor is { } protectedSuccessor)
            {
                // A concurrent refresh won: hand out the same successor, unless it has itself been used or revoked.
                successor = Encoding.UTF8.GetString(protector.Unprotect(protectedSuccessor));
                var next = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == Hash(successor), CancellationToken.None);
                if (next is null || next.UsedAt is not null || next.RevokedAt is not null) return null;
            }
            else
            {
                await RevokeFamilyAsync(token.FamilyId, CancellationToken.None);
                await audit.WriteAsync(new AuditActor("system"), "refresh.reuse", $"user:{token.UserId}", "success", $"family {token.FamilyId} revoked", CancellationToken.None);
                return null;
            }
        }

        var user = await users.FindActiveAsync(token.UserId, cancellationToken);
        if (user is null)
        {
            await RevokeFamilyAsync(token.FamilyId, cancellationToken);
            return null;
        }
        return new TokenResponse(await AccessTokenAsync(user, cancellationToken), "Bearer", (int)_options.AccessTokenLifetime.TotalSeconds, successor);
    }

    /// <summary>Revokes the family of a refresh token (sign-out on the device). Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var id = Hash(refreshToken);
        var family = await db.RefreshTokens.Where(t => t.Id == id).Select(t => t.FamilyId).FirstOrDefaultAsync(cancellationToken);
        if (family is not null) await RevokeFamilyAsync(family, cancellationToken);
    }

    private async Task RevokeFamilyAsync(string familyId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var now = Now;
        await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private async Task<string> AccessTokenAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", user.Id), new("name", user.Username), new("jti", Guid.NewGuid().ToString("N")) };
        claims.AddRange(user.Roles.Select(r => new Claim("role", r)));
        claims.AddRange(user.Claims.Select(c => new Claim(c.Key, c.Value)));
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            SigningCredentials = await keys.SigningCredentialsAsync(cancellationToken),
        });
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string NewRefreshToken() =>
        "rt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
