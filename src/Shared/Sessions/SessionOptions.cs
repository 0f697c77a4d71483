namespace Bff.Shared.Sessions;

public static class SessionDefaults
{
    /// <summary>The authentication scheme web routes name in <c>AuthenticationProviderKey</c>.</summary>
    public const string Scheme = "Session";

    /// <summary>The cookie: only an opaque session id; <c>__Host-</c> = Secure, Path=/, no Domain.</summary>
    public const string CookieName = "__Host-bffs-session";

    public const string CsrfHeader = "X-CSRF";
    public const string SessionIdClaim = "sid";
}

/// <summary>Web session settings (<c>Sessions</c> section).</summary>
public sealed class SessionOptions
{
    /// <summary>A session unused for this long ends (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary><c>Sessions:MaxPerUser</c>: most live sessions one user keeps; a new sign-in beyond it ends the
    /// user's oldest session (default 20).</summary>
    public int MaxPerUser { get; set; } = 20;

    /// <summary>Origins allowed to open WebSockets on session routes (besides the gateway's own origin).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
