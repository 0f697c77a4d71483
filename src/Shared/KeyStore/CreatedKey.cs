namespace Bff.Shared.KeyStore;

/// <summary>A key as it is shown once, at creation or rotation.</summary>
internal sealed record CreatedKey(string Id, string Key, string Client, IReadOnlyList<string> Scopes, DateTime? ExpiresAt, string? ReplacedId = null);
