using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Bff.Shared.Observability;

/// <summary>
/// The management listener (<c>Observer:MetricsUrl</c>): a second, minimal Kestrel server that serves only the
/// Prometheus scrape endpoint and the detailed <c>/health/ready</c> (and <c>/health/live</c>), so both can live on a
/// port that is not exposed to clients. It shares the gateway's <see cref="MeterProvider"/> and health checks; every
/// other path answers 404, and nothing on it is ever forwarded.
/// </summary>
internal sealed partial class MetricsServer(MeterProvider meterProvider, HealthCheckService health, IOptions<ObserverOptions> options, ILogger<MetricsServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses the management listener is bound to once started.</summary>
    public IReadOnlyCollection<string> Addresses =>
        _app?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(o.MetricsUrl!);
        _app = builder.Build();
        var path = new PathString(o.MetricsPath);
        _app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, context => context.Request.Path == path, path: null, configureBranchedPipeline: null, optionsName: null);
        _app.Run(async context =>
        {
            var requested = context.Request.Path;
            if (requested != "/health/ready" && requested != "/health/live")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            var report = await health.CheckHealthAsync(requested == "/health/ready" ? Health.GatewayHealthEndpoints.IsReadiness : static _ => false, context.RequestAborted);
            context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            await Health.GatewayHealthEndpoints.WriteDetailsAsync(context, report);
        });
        await _app.StartAsync(cancellationToken);
        Log.Listening(logger, string.Join(", ", Addresses), o.MetricsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.Listening, Level = LogLevel.Information, Message = "Metrics are served on the management listener {Addresses} at {Path}")]
        public static partial void Listening(ILogger logger, string addresses, string path);
    }
}
