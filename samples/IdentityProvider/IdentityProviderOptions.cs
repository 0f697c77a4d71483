namespace Bffs.IdentityProvider;

/// <summary>The <c>IdentityProvider</c> section: demo users and clients, token lifetimes.</summary>
public sealed class IdentityProviderOptions
{
    public const string SectionName = "IdentityProvider";

    public List<DemoUser> Users { get; set; } = [];
    public List<DemoClient> Clients { get; set; } = [];

    /// <summary>Access token lifetime (short in tests, to make the BFF refresh).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class DemoUser
{
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Name { get; set; }
    /// <summary>The demo backends' customer id of this user (claim <c>customer_id</c>).</summary>
    public string? CustomerId { get; set; }
}

public sealed class DemoClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
    /// <summary>Where this provider posts logout tokens (OpenID Connect Back-Channel Logout).</summary>
    public string? BackChannelLogoutUri { get; set; }
    /// <summary>Scopes the client may ask for besides openid/profile/offline_access (and with client credentials).</summary>
    public List<string> Scopes { get; set; } = [];
}
