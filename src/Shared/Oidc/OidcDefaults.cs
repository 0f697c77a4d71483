namespace Bff.Shared.Oidc;

internal static class OidcDefaults
{
    /// <summary>ASP.NET Core's OpenIdConnect handler.</summary>
    public const string Scheme = "Oidc";

    /// <summary>The handler signs in here: our scheme that turns the result into a server-side session.</summary>
    public const string SessionSignInScheme = "OidcSession";

    /// <summary><see cref="Sessions.SessionRecord.Provider"/> of a session signed in at the provider.</summary>
    public const string Provider = "oidc";

    public const string CallbackPath = "/bff/signin-oidc";
    public const string SignedOutCallbackPath = "/bff/signout-callback-oidc";
}
