namespace Bff.Shared.Frontend;

/// <summary>The single-page frontend a host serves (<c>Frontend</c> section).</summary>
public sealed class FrontendOptions
{
    public const string SectionName = "Frontend";

    /// <summary>Serve the frontend at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder of static files: absolute, or relative to the content root. Default: the web root
    /// (<c>wwwroot</c> of the content root), else <c>wwwroot</c> beside the binaries.</summary>
    public string? RootPath { get; set; }

    /// <summary>Sent with every static file. No inline script or style, nothing from another origin, no framing.</summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}
