namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A partner (<c>clients</c>): owns API keys, has a plan; quotas are counted per client.</summary>
public sealed class ClientEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? PlanName { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool Disabled { get; set; }
}

/// <summary>A plan (<c>plans</c>): a rate limit and a quota, e.g. 100/1s and 100000/1d.</summary>
public sealed class PlanEntity
{
    public required string Name { get; set; }
    public long? RateLimit { get; set; }
    public TimeSpan? RatePeriod { get; set; }
    public long? QuotaLimit { get; set; }
    public TimeSpan? QuotaPeriod { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An API key (<c>api_keys</c>): only its HMAC is stored, never the key.</summary>
public sealed class ApiKeyEntity
{
    /// <summary>The key's public id: the characters after <c>bffk_&lt;env&gt;_</c> that identify it.</summary>
    public required string Id { get; set; }
    public required string ClientId { get; set; }
    public required string Environment { get; set; }
    public required byte[] Hash { get; set; }
    public required string Last4 { get; set; }
    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; set; } = "";
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    /// <summary>The key this one replaced by rotation.</summary>
    public string? RotatedFromId { get; set; }
}

/// <summary>A user (<c>users</c>) of the web and mobile BFFs.</summary>
public sealed class UserEntity
{
    public required string Id { get; set; }
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary>Comma-separated roles.</summary>
    public string Roles { get; set; } = "";
    /// <summary>Claims the gateway asserts for the user (e.g. <c>customer_id</c>), as a JSON object of type → value.</summary>
    public string Claims { get; set; } = "";
    public int FailedLogins { get; set; }
    public DateTime? LockoutEnd { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }
    public bool Disabled { get; set; }
}

/// <summary>One administrative change (<c>audit_log</c>).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? SourceIp { get; set; }
    public required string Outcome { get; set; }
    public string? Details { get; set; }
}

/// <summary>A key the gateway signs its JWTs with (<c>signing_keys</c>); the private part encrypted under the pepper.</summary>
public sealed class SigningKeyEntity
{
    public required string Id { get; set; }
    public required string Algorithm { get; set; }
    /// <summary>SubjectPublicKeyInfo (DER).</summary>
    public required byte[] PublicKey { get; set; }
    /// <summary>PKCS#8 private key, AES-GCM encrypted with a key derived from <c>ApiKeys:Pepper</c>.</summary>
    public required byte[] ProtectedPrivateKey { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>After this the key no longer validates tokens (set on rollover, past the last token it signed).</summary>
    public DateTime? RetiresAt { get; set; }
}

/// <summary>A refresh token (<c>refresh_tokens</c>): only its SHA-256; one family per sign-in, rotated on every use.</summary>
public sealed class RefreshTokenEntity
{
    public required string Id { get; set; }
    public required string FamilyId { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    /// <summary>The token that replaced this one, encrypted, kept for the short reuse grace (concurrent refreshes).</summary>
    public byte[]? ProtectedSuccessor { get; set; }
    public DateTime? RevokedAt { get; set; }
}
