using Bff.Shared.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Resilience;

/// <summary>
/// Graceful shutdown, first step: when the host is told to stop (SIGTERM, Ctrl+C), readiness turns unhealthy and the
/// host keeps serving for <see cref="GatewayOptions.DrainDelay"/>; only then do the servers stop accepting and
/// in-flight requests get <see cref="GatewayOptions.ShutdownTimeout"/> to finish (the host's own shutdown).
/// </summary>
internal sealed partial class GracefulShutdown(IOptions<GatewayOptions> options, ILogger<GracefulShutdown> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _stopping;

    public bool Stopping => _stopping;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var delay = options.Value.DrainDelay;
        Log.Draining(logger, delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, cancellationToken); }
            catch (OperationCanceledException) { /* the host's shutdown timeout cut the drain short */ }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stopping ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Draining, LogLevel.Information, "Shutting down: readiness is unhealthy, draining for {Seconds} s before the servers stop accepting")]
        public static partial void Draining(ILogger logger, double seconds);
    }
}
