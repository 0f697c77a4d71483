namespace Bff.Shared.Oidc;

/// <summary>A route's <c>DownstreamToken</c> (extension property): what it sends its backend as <c>Authorization: Bearer</c>.</summary>
internal enum DownstreamTokenKind
{
    /// <summary>Nothing (the default).</summary>
    None,

    /// <summary>The signed-in user's access token (refreshed when it is about to expire).</summary>
    User,

    /// <summary>The BFF's own client-credentials token.</summary>
    Client,

    /// <summary>The user's token when a user is signed in at the provider, else the BFF's.</summary>
    UserOrClient,
}
