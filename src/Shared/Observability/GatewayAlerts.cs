using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Observability;

/// <summary>
/// Alerts: a log event and, when <c>Observer:AlertWebhook</c> is set, a JSON POST — at most once per alert type and
/// subject per minute. Raising never waits: webhook posts go through a small bounded queue drained in the
/// background (the oldest waiting alert is dropped when it is full). Subjects can come from requests (a header
/// value, a client address), so the de-duplication and counting maps are bounded: at <see cref="MaxSubjects"/>
/// entries the ones idle for a window are dropped, and while it is still full a new subject is neither counted nor
/// raised (already known subjects still are).
/// </summary>
internal sealed partial class GatewayAlerts : BackgroundService
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Most subjects each map tracks.</summary>
    internal const int MaxSubjects = 10_000;
    private readonly ConcurrentDictionary<string, long> _lastRaised = new();
    private readonly ConcurrentDictionary<string, WindowCounter> _counters = new();
    private readonly ConcurrentDictionary<string, WindowCounter> _answers = new(); // by route, on every request
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayAlerts> _logger;
    private readonly HttpClient _webhook = new() { Timeout = TimeSpan.FromSeconds(5) };

    public GatewayAlerts(IConfiguration configuration, TimeProvider time, ILogger<GatewayAlerts> logger)
    {
        _configuration = configuration;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raises <paramref name="type"/> for <paramref name="subject"/> unless it was raised in the last minute.</summary>
    public bool Raise(string type, string subject, LogLevel level, string message, object? details = null)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var key = type + "\n" + subject;
        if (!_lastRaised.ContainsKey(key) && !Room(_lastRaised, last => now - last >= Window.Ticks)) return false;
        var last = _lastRaised.GetOrAdd(key, long.MinValue);
        if (last != long.MinValue && now - last < Window.Ticks) return false;
        if (!_lastRaised.TryUpdate(key, now, last)) return false; // raised concurrently by another request
        Log.Alert(_logger, level, type, subject, message);
        if (!string.IsNullOrEmpty(_configuration[ObserverOptions.SectionName + ":AlertWebhook"]))
            _queue.Writer.TryWrite(new { type, subject, message, details, at = _time.GetUtcNow() });
        return true;
    }

    /// <summary>Counts an event for <paramref name="subject"/> in the current minute; true when the count reaches
    /// <paramref name="threshold"/> exactly (so a spike raises once).</summary>
    public bool Count(string kind, string subject, int threshold)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var key = kind + "\n" + subject;
        if (!_counters.ContainsKey(key) && !Room(_counters, c => c.IsIdle(now, Window.Ticks))) return false;
        var counter = _counters.GetOrAdd(key, _ => new WindowCounter());
        return counter.Increment(now, Window.Ticks) == threshold;
    }

    /// <summary>A request answered on <paramref name="route"/>: raises when, within a minute, at least 20 requests
    /// were answered and half or more of them were 5xx.</summary>
    public void Answered(string route, int status)
    {
        // Keyed by route id (from the configuration, not the request): bounded by the route count.
        var counter = _answers.GetOrAdd(route, static _ => new WindowCounter());
        var (total, errors) = counter.Add(_time.GetUtcNow().UtcTicks, Window.Ticks, status >= 500);
        if (total >= 20 && errors * 2 >= total)
            Raise("error-ratio", route, LogLevel.Error, $"{errors} of {total} requests on route {route} were answered 5xx within a minute",
                new { route, total, errors });
    }

    /// <summary>Whether a new subject fits: at the bound, entries idle for a window are dropped first.</summary>
    private static bool Room<T>(ConcurrentDictionary<string, T> map, Func<T, bool> idle)
    {
        if (map.Count < MaxSubjects) return true;
        foreach (var (key, value) in map)
            if (idle(value)) map.TryRemove(key, out _);
        return map.Count < MaxSubjects;
    }

    /// <summary>Subjects tracked (de-duplication and counters), for tests of the bound.</summary>
    internal int TrackedSubjects => _lastRaised.Count + _counters.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (_configuration[ObserverOptions.SectionName + ":AlertWebhook"] is not { Length: > 0 } url) continue;
                try { (await _webhook.PostAsJsonAsync(url, alert, stoppingToken)).Dispose(); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    Log.WebhookFailed(_logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override void Dispose()
    {
        _webhook.Dispose();
        base.Dispose();
    }

    private sealed class WindowCounter
    {
        private readonly Lock _gate = new();
        private long _start = long.MinValue;
        private int _total;
        private int _marked;

        public int Increment(long now, long window) => Add(now, window, true).Marked;

        public bool IsIdle(long now, long window)
        {
            lock (_gate) return _start == long.MinValue || now - _start >= window;
        }

        public (int Total, int Marked) Add(long now, long window, bool marked)
        {
            lock (_gate)
            {
                if (_start == long.MinValue || now - _start >= window) { _start = now; _total = 0; _marked = 0; }
                _total++;
                if (marked) _marked++;
                return (_total, _marked);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.Alert, Message = "Alert {Type} for {Subject}: {Message}")]
        public static partial void Alert(ILogger logger, LogLevel level, string type, string subject, string message);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.WebhookFailed, LogLevel.Warning, "Alert webhook failed ({ExceptionType})")]
        public static partial void WebhookFailed(ILogger logger, string exceptionType);
    }
}
