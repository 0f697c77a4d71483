namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>An API key (<c>api_keys</c>): only its HMAC is stored, never the key.</summary>
internal sealed class ApiKeyEntity
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
