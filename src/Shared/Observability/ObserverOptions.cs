using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Observability;

/// <summary>The <c>Observer</c> configuration section.</summary>
public sealed class ObserverOptions
{
    public const string SectionName = "Observer";

    /// <summary><c>Observer:MetricsEnabled</c>: serve the Prometheus scrape endpoint (default true).</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary><c>Observer:MetricsPath</c>: where Prometheus scrapes (default <c>/metrics</c>).</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary><c>Observer:AlertWebhook</c>: URL that receives alerts as JSON.</summary>
    public string? AlertWebhook { get; set; }

    /// <summary>Scrapes and health probes are not traced (they would drown the traces people look at).</summary>
    internal static bool IsInfrastructure(PathString path, ObserverOptions options) =>
        path.StartsWithSegments(options.MetricsPath) || path.StartsWithSegments("/health");
}
