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
