using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bffs.Backends;

internal static class Telemetry
{
    /// <summary>
    /// Under the app host (which sets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), the demo services export their server spans,
    /// so a trace in the Aspire dashboard runs from the BFF's span through its downstream call into the backend's.
    /// </summary>
    public static WebApplicationBuilder AddDemoTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation())
            .UseOtlpExporter();
        return builder;
    }
}
