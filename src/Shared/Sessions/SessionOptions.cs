namespace Bff.Shared.Sessions;

/// <summary>Web session settings (<c>Sessions</c> section).</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

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
