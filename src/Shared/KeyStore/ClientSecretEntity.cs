namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>An OAuth client secret of a partner (<c>client_secrets</c>): only its HMAC is stored, never the secret.
/// Tokens it obtains carry its scopes and its client's plan.</summary>
internal sealed class ClientSecretEntity
{
    /// <summary>The secret's public id (inside the secret, like an API key's).</summary>
    public required string Id { get; set; }
    public required string ClientId { get; set; }
    public required byte[] Hash { get; set; }
    public required string Last4 { get; set; }
    /// <summary>Space-separated scopes a token may carry.</summary>
    public string Scopes { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
