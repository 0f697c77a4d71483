using Bff.Shared.Aggregation;
using Microsoft.AspNetCore.Authentication;
using Bff.Shared.Forwarding;
using Bff.Shared.Hosting;
using Bff.Shared.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Configuration;

/// <summary>
/// Owns the live <see cref="GatewayModel"/>: loads it once (throwing <see cref="GatewayConfigurationException"/> with
/// every error when the files are invalid), then watches the files. A valid edit is swapped in atomically; requests
/// already running keep the model they started with. An invalid edit is logged error by error and the last good
/// model stays in service (Ocelot serves 500s instead).
/// </summary>
internal sealed partial class GatewayConfigProvider : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private readonly GatewayOptions _options;
    private readonly IHostEnvironment _environment;
    private readonly IConfiguration _configuration;
    private readonly HttpInvokerPool _invokers;
    private readonly GatewayEndpointFactory _endpoints;
    private readonly TimeProvider _time;
    private readonly AggregatorRegistry _aggregators;
    private readonly IAuthenticationSchemeProvider _schemes;
    private readonly ILogger<GatewayConfigProvider> _logger;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _reloadTimer;
    private volatile GatewayModel? _current;
    private int _version;
    private readonly ServiceDiscovery.ServiceDiscoveryRefresher _discovery;

    public GatewayConfigProvider(
        IOptions<GatewayOptions> options, IHostEnvironment environment, IConfiguration configuration,
        HttpInvokerPool invokers, GatewayEndpointFactory endpoints, AggregatorRegistry aggregators, IAuthenticationSchemeProvider schemes,
        TimeProvider time, ILogger<GatewayConfigProvider> logger, ServiceDiscovery.ServiceDiscoveryRefresher discovery)
    {
        _discovery = discovery;
        _schemes = schemes;
        _aggregators = aggregators;
        _options = options.Value;
        _environment = environment;
        _configuration = configuration;
        _invokers = invokers;
        _endpoints = endpoints;
        _time = time;
        _logger = logger;
    }

    /// <summary>The resolved path of the route files.</summary>
    public string ConfigPath => field ??= ConfigPathResolver.Resolve(_options, _environment);

    /// <summary>The configuration in service. The first access loads it.</summary>
    public GatewayModel Current => _current ?? Initialize();

    /// <summary>Raised after a reload was applied (tests wait on it).</summary>
    public event Action<GatewayModel>? Reloaded;

    /// <summary>Raised after a reload was rejected, with its errors.</summary>
    public event Action<IReadOnlyList<ConfigError>>? ReloadRejected;

    public GatewayModel Initialize()
    {
        lock (_gate)
        {
            if (_current is not null) return _current;
            var (model, errors, warnings) = Load();
            foreach (var warning in warnings) Log.ConfigWarning(_logger, warning);
            if (model is null) throw new GatewayConfigurationException(errors);
            _discovery.Use(model);
            _current = model;
            Log.Loaded(_logger, model.Routes.Length, model.Aggregates.Length, ConfigPath);
            if (_options.ReloadOnChange) Watch();
            return model;
        }
    }

    /// <summary>Validates the files at <paramref name="path"/> without touching the live configuration.</summary>
    public (GatewayModel? Model, List<ConfigError> Errors, List<string> Warnings) Check(string path) => Load(path);

    private (GatewayModel? Model, List<ConfigError> Errors, List<string> Warnings) Load(string? path = null)
    {
        var loaded = OcelotFileLoader.Load(path ?? ConfigPath, _environment.EnvironmentName);
        // Scheme registrations are in memory: waiting here never blocks on I/O.
        var schemes = _schemes.GetAllSchemesAsync().GetAwaiter().GetResult().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var context = new ModelBuildContext(_invokers, key => _configuration[key], Interlocked.Increment(ref _version), _time.GetUtcNow(), _aggregators.Names, schemes, _time,
            _options.OcelotEmptyPlaceholders, _options.EffectiveStripRequestHeaders,
            [.. _configuration.GetSection("Services").GetChildren().Select(c => c.Key)]);
        var (model, errors) = GatewayModelBuilder.Build(loaded, context);
        if (model is not null)
            foreach (var target in model.Targets) target.Endpoint = _endpoints.Create(target);
        return (model, errors, loaded.Warnings);
    }

    private void Watch()
    {
        var path = ConfigPath;
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path)!;
        _reloadTimer = _time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Not only the route files: Kubernetes ConfigMaps update by swapping a "..data" symlink.
        _watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        // Only the route files (and ConfigMap "..data"-style swaps) count: a database or log file kept in the same
        // folder must not reload the routes (a reload starts fresh circuits and in-process counters).
        // A single file also brings its environment overlay (ocelot.json + ocelot.<Environment>.json).
        var stem = Directory.Exists(path) ? null : Path.GetFileNameWithoutExtension(path) + ".";
        bool Relevant(string? name) => name is null || name.StartsWith("..", StringComparison.Ordinal)
            || (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                && (stem is null || name.StartsWith(stem, StringComparison.OrdinalIgnoreCase)));
        FileSystemEventHandler changed = (_, e) => { if (Relevant(e.Name)) _reloadTimer.Change(Debounce, Timeout.InfiniteTimeSpan); };
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Deleted += changed;
        _watcher.Renamed += (_, e) => { if (Relevant(e.Name) || Relevant(e.OldName)) _reloadTimer.Change(Debounce, Timeout.InfiniteTimeSpan); };
        // A lost event (buffer overflow) is treated as a change.
        _watcher.Error += (_, _) => _reloadTimer.Change(Debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Re-reads the files now; returns the errors (empty when the new model is in service).</summary>
    public IReadOnlyList<ConfigError> Reload()
    {
        lock (_gate)
        {
            try
            {
                var (model, errors, warnings) = Load();
                foreach (var warning in warnings) Log.ConfigWarning(_logger, warning);
                if (model is null)
                {
                    Log.ReloadRejected(_logger, errors.Count);
                    foreach (var error in errors) Log.ConfigError(_logger, error.ToString());
                    ReloadRejected?.Invoke(errors);
                    return errors;
                }
                _discovery.Use(model);
                _current = model;
                Log.Reloaded(_logger, model.Routes.Length, model.Aggregates.Length, model.Version);
                Reloaded?.Invoke(model);
                return [];
            }
            catch (Exception e)
            {
                // A file caught mid-write, or anything unforeseen: the last good configuration stays in service and
                // the next change event retries. This runs on a timer thread, so nothing may escape.
                Log.ReloadFailed(_logger, e.GetType().Name, e.Message);
                return [new ConfigError(ConfigPath, "", e.Message)];
            }
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloadTimer?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Loaded, LogLevel.Information, "Gateway configuration loaded: {RouteCount} routes, {AggregateCount} aggregates from {ConfigPath}")]
        public static partial void Loaded(ILogger logger, int routeCount, int aggregateCount, string configPath);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Reloaded, LogLevel.Information, "Gateway configuration reloaded: {RouteCount} routes, {AggregateCount} aggregates (version {Version})")]
        public static partial void Reloaded(ILogger logger, int routeCount, int aggregateCount, int version);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ReloadRejected, LogLevel.Error, "Gateway configuration change rejected: {ErrorCount} error(s); the last good configuration stays in service")]
        public static partial void ReloadRejected(ILogger logger, int errorCount);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ConfigError, LogLevel.Error, "Gateway configuration error: {Error}")]
        public static partial void ConfigError(ILogger logger, string error);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ConfigWarning, LogLevel.Warning, "Gateway configuration: {Warning}")]
        public static partial void ConfigWarning(ILogger logger, string warning);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ReloadFailed, LogLevel.Error, "Gateway configuration could not be reloaded ({ExceptionType}: {Reason}); the last good configuration stays in service")]
        public static partial void ReloadFailed(ILogger logger, string exceptionType, string reason);
    }
}
