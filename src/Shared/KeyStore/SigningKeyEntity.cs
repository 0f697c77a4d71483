namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A key the gateway signs its JWTs with (<c>signing_keys</c>); the private part encrypted under the pepper.</summary>
internal sealed class SigningKeyEntity
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
