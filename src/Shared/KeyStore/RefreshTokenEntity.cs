namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A refresh token (<c>refresh_tokens</c>): only its SHA-256; one family per sign-in, rotated on every use.</summary>
internal sealed class RefreshTokenEntity
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
