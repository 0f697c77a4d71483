using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Bff.Shared.Problems;

/// <summary>
/// Redis cannot serve (no master and no replica answers, a Cluster node rejoining; a failover is usually over in seconds): what
/// needs it (a session lookup) answers 503 problem+json with Retry-After, not 500. Features with their own fallback
/// (rate limits, caches) never get here.
/// </summary>
internal sealed partial class RedisUnavailableExceptionHandler(ILogger<RedisUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || httpContext.Response.HasStarted) return false;
        Log.Unavailable(logger, exception.GetType().Name, ServerMessage(exception), httpContext.Request.Path);
        await GatewayProblems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The session store is unavailable; try again shortly.", headers: ("Retry-After", "1"));
        return true;
    }

    /// <summary>No connection, no answer in time, or a node that says it cannot serve now: a Cluster node rejoining
    /// (CLUSTERDOWN, TRYAGAIN), loading its data (LOADING), a demoted master (READONLY) or a replica without one (MASTERDOWN).</summary>
    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Redis's own error text (CLUSTERDOWN…, LOADING…) — never a connection exception's message, which
    /// describes the configuration.</summary>
    internal static string ServerMessage(Exception exception) => exception is RedisServerException ? exception.Message : "";

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.RedisUnavailable, LogLevel.Warning, "Redis unavailable ({ExceptionType}: {RedisMessage}) for {Path}: answered 503")]
        public static partial void Unavailable(ILogger logger, string exceptionType, string redisMessage, PathString path);
    }
}
