namespace Bff.Shared.ApiKeys;

/// <summary>What authentication needs to know about a key (cached; contains the hash, never the key).</summary>
internal sealed record ApiKeyRecord(
    string Id, string ClientId, string ClientName, bool ClientDisabled, byte[] Hash, string Scopes, string? Plan,
    DateTime? ExpiresAt, DateTime? RevokedAt);
