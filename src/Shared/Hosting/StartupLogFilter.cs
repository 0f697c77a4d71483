using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Hosting;

/// <summary>
/// Until the host has started, the hosting and Kestrel loggers' errors (which carry the exception's stack trace:
/// "Hosting failed to start", "Unable to start Kestrel.") are held back: <c>RunBffAsync</c> prints the reason as
/// one sentence instead. Once the host has started they log as usual. <c>Logging:LogLevel:Bff.Startup=Debug</c>
/// logs the whole exception of a failed start.
/// </summary>
internal sealed class StartupLogFilter : IHostedLifecycleService
{
    private static readonly string[] Categories = ["Microsoft.Extensions.Hosting.Internal.Host", "Microsoft.AspNetCore.Server.Kestrel"];
    private volatile bool _started;

    public static void Add(IHostApplicationBuilder builder)
    {
        var filter = new StartupLogFilter();
        foreach (var category in Categories)
            builder.Logging.AddFilter(category, level => level >= LogLevel.Warning && (filter._started || level < LogLevel.Error));
        builder.Services.AddSingleton<IHostedService>(filter);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
