namespace Bff.Shared.Sessions;

/// <summary>
/// A server-side session. The browser holds only the secret id; the store keys sessions by its SHA-256, so reading
/// the store does not let anyone take a session over. <see cref="Handle"/> is a public name for listing and revoking.
/// A session signed in at an OpenID Connect provider has <see cref="Provider"/> <c>oidc</c>, the provider's session id
/// (<c>sid</c>) and the user's tokens, encrypted with Data Protection (<see cref="Oidc.SessionTokenProtector"/>).
/// </summary>
internal sealed record SessionRecord(
    string Key, string Handle, string UserId, string Username, IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? UserAgent, string? RemoteAddress,
    IReadOnlyDictionary<string, string>? Claims = null, string? Provider = null, string? ProviderSessionId = null, string? Tokens = null);
