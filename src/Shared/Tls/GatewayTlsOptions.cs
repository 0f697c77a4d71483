namespace Bff.Shared.Tls;

/// <summary>
/// The <c>Tls</c> section: what a host that terminates TLS itself adds to Kestrel's certificates
/// (<c>Kestrel:Certificates:Default</c> PEM/PFX, or <c>Kestrel:Endpoints:*:Certificate</c>): HSTS and the HTTP→HTTPS redirect.
/// Both are off by default (behind a TLS-terminating proxy the proxy does them).
/// </summary>
public sealed class GatewayTlsOptions
{
    public const string SectionName = "Tls";

    /// <summary>Send <c>Strict-Transport-Security</c> on HTTPS answers.</summary>
    public bool Hsts { get; set; }

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; }

    public bool HstsPreload { get; set; }

    /// <summary>Redirect plain-HTTP requests to HTTPS (308, keeping the method and body); <c>/health/*</c> is never
    /// redirected, so load balancers and probes may check over plain HTTP.</summary>
    public bool HttpsRedirect { get; set; }

    /// <summary>The port of the redirect's target (default: the host's HTTPS endpoint, or <c>https_port</c>).</summary>
    public int? HttpsPort { get; set; }
}
