using Microsoft.AspNetCore.Routing;
using Bff.Shared.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class ObserverServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry for the gateway: traces (ASP.NET Core server spans tagged with the BFF, route and destination,
    /// HTTP client spans for every downstream call, W3C trace context propagated), metrics (ASP.NET Core and HTTP
    /// client semantic conventions plus the <c>Bffs.Gateway</c> meter), exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and scraped by Prometheus at <c>Observer:MetricsPath</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayObserver(this IHostApplicationBuilder builder, string bff)
    {
        var options = builder.Configuration.GetSection(ObserverOptions.SectionName).Get<ObserverOptions>() ?? new ObserverOptions();
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<ObserverOptions>().BindConfiguration(ObserverOptions.SectionName)
            .PostConfigure(o =>
            {
                o.PublicMetrics ??= !production;
                o.PublicHealthDetails ??= !production;
            })
            .Validate(o => o.MetricsPath.StartsWith('/'), "Observer:MetricsPath must start with '/'")
            .Validate(o => string.IsNullOrWhiteSpace(o.MetricsUrl) || IsHttpUrl(o.MetricsUrl), "Observer:MetricsUrl must be an absolute http:// URL with a port, e.g. http://0.0.0.0:9464")
            .ValidateOnStart();
        if (options.MetricsOnManagementPort)
        {
            builder.Services.AddSingleton<MetricsServer>();
            builder.Services.AddHostedService(static sp => sp.GetRequiredService<MetricsServer>());
        }
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = options.Tracing ?? (otlp || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]));
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName).AddAttributes([new("bff.name", bff)]));
        if (tracing)
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !ObserverOptions.IsInfrastructure(context.Request.Path, options))
                .AddHttpClientInstrumentation());
        telemetry
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter(GatewayMetrics.MeterName);
                if (options.MetricsEnabled) m.AddPrometheusExporter();
            });
        // Logs go to OTLP only (the console and other providers get them as usual).
        if (otlp)
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: l => { l.IncludeScopes = true; l.IncludeFormattedMessage = true; });
            // UseOtlpExporter exports every signal and so would switch tracing on; with Observer:Tracing=false only
            // metrics and logs are exported.
            if (tracing) telemetry.UseOtlpExporter();
            else telemetry.WithMetrics(m => m.AddOtlpExporter()).WithLogging(l => l.AddOtlpExporter());
        }
        // ASP.NET Core's "Request starting/finished" lines and YARP's "Proxying to" line carry the full URL, query
        // string included — where a misplaced API key or token would be logged. The gateway's own request line
        // (route, client id, status, duration, trace id) replaces them; these rules come last, so they hold.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Warning);
        // FusionCache logs every GetOrSet call and its return at Information: two lines per API-key request and per
        // cached request, which cost more than the lookup itself (bench/results). Its warnings and errors still show;
        // a more specific category (ZiggyCreatures.Caching.Fusion.FusionCache) in Logging:LogLevel overrides this.
        builder.Logging.AddFilter("ZiggyCreatures.Caching.Fusion", LogLevel.Warning);
        return builder;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsDefaultPort && uri.AbsolutePath == "/";

    /// <summary>Maps the Prometheus scrape endpoint (<c>Observer:MetricsPath</c>, default <c>/metrics</c>) on the host's
    /// port, unless <c>Observer:MetricsEnabled</c> is false, <c>Observer:MetricsUrl</c> moves it to the management
    /// listener (<see cref="MetricsServer"/>) or <c>Observer:PublicMetrics</c> is false (the default in Production).</summary>
    public static IEndpointRouteBuilder MapGatewayObserver(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ObserverOptions>>().Value;
        if (options.MetricsOnHostPort) app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        return app;
    }
}
