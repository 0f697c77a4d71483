namespace Bff.Shared.KeyStore;

/// <summary>A key as it is listed: never the key, only its id, environment and last four characters.</summary>
internal sealed record KeyView(string Id, string Client, string Display, IReadOnlyList<string> Scopes, string? Name,
    DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, string Status);
