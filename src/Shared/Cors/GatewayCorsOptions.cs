namespace Bff.Shared.Cors;

/// <summary>
/// The host's CORS policy (<c>Cors</c> section), applied by ASP.NET Core's CORS middleware. Without
/// <c>Cors:AllowedOrigins</c> there is no policy: a preflight is answered 204 without CORS headers, so browsers refuse
/// cross-origin calls. A preflight is never forwarded to a backend.
/// </summary>
public sealed class GatewayCorsOptions
{
    public const string SectionName = "Cors";

    /// <summary><c>Cors:AllowedOrigins</c>: exact origins (<c>https://app.example.com</c>), or <c>*</c> for any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary><c>Cors:AllowedMethods</c>: methods a cross-origin call may use (default any).</summary>
    public string[] AllowedMethods { get; set; } = [];

    /// <summary><c>Cors:AllowedHeaders</c>: request headers a cross-origin call may send (default any).</summary>
    public string[] AllowedHeaders { get; set; } = [];

    /// <summary><c>Cors:ExposedHeaders</c>: response headers a cross-origin caller may read.</summary>
    public string[] ExposedHeaders { get; set; } = [];

    /// <summary><c>Cors:AllowCredentials</c>: cookies and Authorization on cross-origin calls (not with origin <c>*</c>).</summary>
    public bool AllowCredentials { get; set; }

    /// <summary><c>Cors:MaxAge</c>: how long a browser may cache a preflight answer.</summary>
    public TimeSpan? MaxAge { get; set; }

    public bool HasPolicy => AllowedOrigins.Length > 0;
}
