namespace Bff.Shared.Oidc;

/// <summary>
/// OpenID Connect sign-in for the web BFF (<c>Oidc</c> section). With <see cref="Authority"/> set, <c>GET /bff/login</c>
/// signs users in at the provider (authorization code + PKCE, the BFF a confidential client) and the tokens stay in
/// the server-side session; without it, local username/password sign-in is the default.
/// </summary>
public sealed class OidcOptions
{
    public const string SectionName = "Oidc";

    /// <summary>The provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read from there).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The BFF's client secret (a secret: set it from the environment or a vault, never in a route file).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for at sign-in (default <c>openid profile offline_access</c>; offline_access brings the
    /// refresh token).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Scopes of the BFF's own client-credentials token (routes with <c>DownstreamToken: Client</c>).</summary>
    public List<string> ClientScopes { get; set; } = [];

    /// <summary><c>form_post</c> (default) or <c>query</c>.</summary>
    public string ResponseMode { get; set; } = "form_post";

    /// <summary>An OpenID Connect <c>prompt</c> value sent with every sign-in (e.g. <c>login</c>, <c>select_account</c>).</summary>
    public string? Prompt { get; set; }

    /// <summary>The provider's metadata must be read over https (default true; false only for a local provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Where the provider sends the browser after RP-initiated logout (default: the BFF's own <c>/</c>).</summary>
    public string? PostLogoutRedirectUri { get; set; }

    /// <summary>Claims of the ID token kept in the session (and so available to claims-to-* and backends) besides
    /// <c>sub</c> and <c>name</c>.</summary>
    public List<string> SessionClaims { get; set; } = ["customer_id", "email", "role"];

    /// <summary>An access token expiring within this time is refreshed before it is used (default 60 s).</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}
