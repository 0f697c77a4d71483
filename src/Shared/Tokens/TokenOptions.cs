namespace Bff.Shared.Tokens;

/// <summary>Mobile token settings (<c>Jwt</c> section).</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "bffs";
    public string Audience { get; set; } = "bffs-mobile";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How long a just-used refresh token still yields its successor (two refreshes racing).</summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>After <c>signing-keys rotate</c>, how long the new key is only published (JWKS) before it signs, so
    /// other replicas and backends' JWKS caches know it first.</summary>
    public TimeSpan SigningKeyActivationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An EC P-256 private key (PEM) to sign with instead of the generated one kept in the key store.</summary>
    public string? SigningKey { get; set; }
    /// <summary>An external OpenID Connect issuer whose tokens are accepted too (metadata and JWKS discovered).</summary>
    public string? Authority { get; set; }
    /// <summary>The audience of the external issuer's tokens (default: <see cref="Audience"/>).</summary>
    public string? ExternalAudience { get; set; }
}
