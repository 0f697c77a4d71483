namespace Bff.Shared.Sessions;

internal static class SessionDefaults
{
    /// <summary>The authentication scheme web routes name in <c>AuthenticationProviderKey</c>.</summary>
    public const string Scheme = "Session";

    /// <summary>The cookie: only an opaque session id; <c>__Host-</c> = Secure, Path=/, no Domain.</summary>
    public const string CookieName = "__Host-bffs-session";

    public const string CsrfHeader = "X-CSRF";
    public const string SessionIdClaim = "sid";
}
