using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Raises an alert when one client keeps hitting its limits: a Warning log and, when <c>Observer:AlertWebhook</c> is
/// set, a JSON POST to it — at most once per client per minute.
/// </summary>
internal sealed partial class RateLimitAlerts(IOptions<RateLimitingOptions> options, IConfiguration configuration, TimeProvider time, ILogger<RateLimitAlerts> logger)
{
    private static readonly HttpClient Webhook = new() { Timeout = TimeSpan.FromSeconds(5) };
    // Entries live a minute: the cache holds the clients refused in the last minute, no size cap that could reset counts.
    private readonly MemoryCache _counts = new(new MemoryCacheOptions());

    public void Rejected(string client, string route, string policy)
    {
        var counter = _counts.GetOrCreate(client, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            return new int[1];
        })!;
        if (Interlocked.Increment(ref counter[0]) != options.Value.AlertThreshold) return; // once per client per window

        Log.Alert(logger, client, route, policy, options.Value.AlertThreshold);
        if (configuration["Observer:AlertWebhook"] is { Length: > 0 } url)
        {
            var alert = new { type = "rate-limit", client, route, policy, rejections = options.Value.AlertThreshold, window = "1m", at = time.GetUtcNow() };
            _ = Task.Run(async () =>
            {
                try { await Webhook.PostAsJsonAsync(url, alert); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Log.WebhookFailed(logger, e.GetType().Name); }
            });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(410, LogLevel.Warning, "Rate limit alert: client {Client} was refused {Count} times within a minute (route {Route}, policy {Policy})")]
        public static partial void Alert(ILogger logger, string client, string route, string policy, int count);

        [LoggerMessage(411, LogLevel.Warning, "Rate limit alert webhook failed ({ExceptionType})")]
        public static partial void WebhookFailed(ILogger logger, string exceptionType);
    }
}
