namespace Bff.Shared.Oidc;

/// <summary>The signed-in user's tokens from the provider, kept (encrypted) in the session.</summary>
internal sealed record UserTokens(string AccessToken, string? RefreshToken, string? IdToken, DateTimeOffset ExpiresAt);
