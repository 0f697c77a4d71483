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

    /// <summary><c>Observer:MetricsUrl</c>: when set (e.g. <c>http://0.0.0.0:9464</c>), the scrape endpoint is served on
    /// this separate management listener only, and no longer on the host's port.</summary>
    public string? MetricsUrl { get; set; }

    /// <summary><c>Observer:PublicMetrics</c>: without <c>MetricsUrl</c>, serve the scrape endpoint on the host's public
    /// port. Default: true, except in Production, where metrics (route names, client ids, failure counts) are served
    /// only on the management listener or when this is set to true.</summary>
    public bool? PublicMetrics { get; set; }

    /// <summary><c>Observer:PublicHealthDetails</c>: <c>/health/ready</c> on the public port lists every check with its
    /// description. Default: true, except in Production, where it answers only <c>{"status": …}</c> (the status code
    /// is the same); the management listener (<c>MetricsUrl</c>) always serves the details.</summary>
    public bool? PublicHealthDetails { get; set; }

    /// <summary>The scrape endpoint is mapped on the host's own port.</summary>
    internal bool MetricsOnHostPort => MetricsEnabled && string.IsNullOrWhiteSpace(MetricsUrl) && PublicMetrics != false;

    /// <summary>The scrape endpoint is served by the separate management listener.</summary>
    internal bool MetricsOnManagementPort => MetricsEnabled && !string.IsNullOrWhiteSpace(MetricsUrl);

    /// <summary><c>Observer:Tracing</c>: record spans. Unset (default): only when they have somewhere to go — an OTLP
    /// endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is configured;
    /// <c>true</c> always (e.g. for an exporter the host adds itself); <c>false</c> never. Spans nobody exports cost a
    /// proxied request about a sixth of its CPU (bench/results).</summary>
    public bool? Tracing { get; set; }

    /// <summary><c>Observer:RequestLog</c>: <c>All</c> (default), <c>Errors</c> (4xx/5xx only) or <c>Off</c>.</summary>
    public RequestLogMode RequestLog { get; set; } = RequestLogMode.All;

    /// <summary><c>Observer:RequestLogSampleRate</c>: share of successful requests logged when RequestLog is All
    /// (0–1, default 1); errors are always logged unless RequestLog is Off.</summary>
    public double RequestLogSampleRate { get; set; } = 1;

    /// <summary><c>Observer:AlertWebhook</c>: URL that receives alerts as JSON.</summary>
    public string? AlertWebhook { get; set; }

    /// <summary>Scrapes and health probes are not traced (they would drown the traces people look at).</summary>
    internal static bool IsInfrastructure(PathString path, ObserverOptions options) =>
        path.StartsWithSegments(options.MetricsPath) || path.StartsWithSegments("/health");
}
