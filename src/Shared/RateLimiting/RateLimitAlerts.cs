using Bff.Shared.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Raises the <c>rate-limit</c> alert when one client keeps hitting its limits: refused
/// <c>RateLimiting:AlertThreshold</c> times within a minute. It goes through <see cref="GatewayAlerts"/> like every
/// other alert: a Warning log event (900), the webhook from the bounded background queue, once per client per minute.
/// </summary>
internal sealed class RateLimitAlerts(IOptions<RateLimitingOptions> options, GatewayAlerts alerts)
{
    public void Rejected(string client, string route, string policy)
    {
        var threshold = options.Value.AlertThreshold;
        if (!alerts.Count("rate-limit", client, threshold)) return;
        alerts.Raise("rate-limit", client, LogLevel.Warning,
            $"client {client} was refused {threshold} times within a minute (route {route}, policy {policy})",
            new { client, route, policy, rejections = threshold, window = "1m" });
    }
}
